/**
 * Who may do what: the ONE module that decides it. Every check returns what it proved (the
 * user, the course, the enrolment...) so callers never re-derive a rule or cast an actor,
 * and throws an AppError (401/403/404) otherwise. Services call these first, before they
 * read or write anything on the caller's behalf; routes call services, never these rules.
 *
 * 404 rather than 403 where the mere existence of a thing is private (a draft assignment,
 * someone else's submission or private video).
 */
import type {
  Assignment,
  Connection,
  Course,
  CourseRole,
  Enrollment,
  InteractionRecord,
  InteractionTarget,
  Notification,
  Post,
  PostPatch,
  Role,
  Submission,
  User,
  Video,
  VideoListScope,
} from '~/data/repository';
import { connectionIdFor, conversationIdFor } from '~/data/repository';
import { AppError, forbidden, notFound, unauthenticated } from '~/utils/errors';
import type { ServiceContext } from './context';
import { acceptsSubmissions, isLateAt } from './due-state';
import { parseUploadKey, type UploadKey } from './upload-keys';

type Ctx = Pick<ServiceContext, 'repos'>;
type Actor = User | null | undefined;

export function requireUser(actor: Actor): User {
  if (!actor) throw unauthenticated();
  return actor;
}

export function requireRole(actor: Actor, ...roles: Role[]): User {
  const user = requireUser(actor);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

/** The course's own instructor, or an admin: who teaches (edits, grades, sees the roster). */
export function teaches(user: User, course: Pick<Course, 'instructorId'>): boolean {
  return user.role === 'admin' || course.instructorId === user.id;
}

export interface CourseAccess {
  user: User;
  course: Course;
  /** The caller's place in the course: their enrolment's role, or 'admin' for an admin who is not enrolled. */
  role: CourseRole | 'admin';
  /** null for admins, who act on every course without being enrolled. */
  enrollment: Enrollment | null;
  /** teaches(user, course): the course's instructor or an admin. */
  isInstructor: boolean;
}

async function courseAccess(ctx: Ctx, user: User, courseId: string): Promise<CourseAccess | null> {
  const [course, enrollment] = await Promise.all([
    ctx.repos.courses.getById(courseId),
    ctx.repos.enrollments.get(courseId, user.id),
  ]);
  if (!course) throw notFound('Course');
  const isInstructor = teaches(user, course);
  if (!enrollment && !isInstructor) return null;
  return { user, course, enrollment, isInstructor, role: enrollment?.role ?? 'admin' };
}

/** Anyone enrolled in the course, its instructor, or an admin. */
export async function requireCourseMember(ctx: Ctx, actor: Actor, courseId: string): Promise<CourseAccess> {
  const access = await courseAccess(ctx, requireUser(actor), courseId);
  if (!access) throw forbidden('You are not a member of this course.');
  return access;
}

/** The course's instructor (or an admin). */
export async function requireCourseInstructor(ctx: Ctx, actor: Actor, courseId: string): Promise<CourseAccess> {
  const access = await courseAccess(ctx, requireUser(actor), courseId);
  if (!access?.isInstructor) throw forbidden('Only the course instructor can do that.');
  return access;
}

export interface StudentAccess extends CourseAccess {
  enrollment: Enrollment & { role: 'student' };
  role: 'student';
}

/** A student enrolled in the course (admins and instructors are not students of it). */
export async function requireCourseStudent(ctx: Ctx, actor: Actor, courseId: string): Promise<StudentAccess> {
  const user = requireRole(actor, 'student');
  const access = await courseAccess(ctx, user, courseId);
  if (access?.enrollment?.role !== 'student') throw forbidden('Only students enrolled in this course can do that.');
  return access as StudentAccess;
}

export interface AssignmentAccess extends CourseAccess {
  assignment: Assignment;
}

/** A member may see the course's assignments; drafts only its instructor. */
export async function requireAssignmentAccess(ctx: Ctx, actor: Actor, assignmentId: string): Promise<AssignmentAccess> {
  const user = requireUser(actor);
  const assignment = await ctx.repos.assignments.getById(assignmentId);
  if (!assignment) throw notFound('Assignment');
  const access = await requireCourseMember(ctx, user, assignment.courseId);
  // Drafts are not yet for students; archived work has been put away.
  if ((assignment.status === 'draft' || assignment.status === 'archived') && !access.isInstructor) {
    throw notFound('Assignment');
  }
  return { ...access, assignment };
}

/** The assignment's course instructor (or an admin): edit, progress, grading views. */
export async function requireAssignmentInstructor(
  ctx: Ctx,
  actor: Actor,
  assignmentId: string,
): Promise<AssignmentAccess> {
  const access = await requireAssignmentAccess(ctx, actor, assignmentId);
  if (!access.isInstructor) throw forbidden('Only the course instructor can do that.');
  return access;
}

/**
 * The one "may submit now" rule: the assignment is published (not a draft, not closed), and
 * once the due date has passed, work already handed in stands — a first late submission is
 * still accepted (and flagged), a replacement is not. `earlier` is the student's submissions
 * to it; `exceptSubmissionId` is the one being finalized (a retry is not a re-submission).
 * Returns why not, or null.
 */
export function submitRefusal(
  assignment: Pick<Assignment, 'status' | 'dueDate'>,
  now: Date,
  earlier: ReadonlyArray<Pick<Submission, 'id'>>,
  exceptSubmissionId?: string,
): AppError | null {
  if (!acceptsSubmissions(assignment)) {
    return new AppError('CONFLICT', 'This assignment is closed and no longer accepts submissions.');
  }
  if (isLateAt(assignment, now) && earlier.some((s) => s.id !== exceptSubmissionId)) {
    return new AppError(
      'CONFLICT',
      'The due date has passed, so your earlier submission stands and cannot be replaced.',
    );
  }
  return null;
}

export interface SubmitterAccess extends StudentAccess {
  assignment: Assignment;
  /** Why the student may not submit right now, or null when they may. */
  refusal: AppError | null;
}

/**
 * An enrolled student and an assignment they can see, with the "may submit now" verdict.
 * Membership is proved before anything about the assignment's state is revealed.
 */
export async function requireSubmitter(
  ctx: Pick<ServiceContext, 'repos' | 'now'>,
  actor: Actor,
  assignmentId: string,
  exceptSubmissionId?: string,
): Promise<SubmitterAccess> {
  const student = requireRole(actor, 'student');
  const assignment = await ctx.repos.assignments.getById(assignmentId);
  if (!assignment) throw notFound('Assignment');
  const access = await requireCourseStudent(ctx, student, assignment.courseId);
  if (assignment.status === 'draft') throw notFound('Assignment');
  // Two rows are enough to tell "another submission exists" apart from "only this one".
  const earlier = await ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, student.id, { limit: 2 });
  const refusal =
    archivedCourseRefusal(access.course) ?? submitRefusal(assignment, ctx.now(), earlier.items, exceptSubmissionId);
  return { ...access, assignment, refusal };
}

/**
 * An upload key names who may use it (videos/<course>/<assignment>/<student>/<upload>): the
 * student, and when an assignment is given, that assignment and its course. Anything else
 * is refused before the key is used for anything.
 */
export function requireOwnUploadKey(
  key: unknown,
  student: User,
  assignment?: Pick<Assignment, 'id' | 'courseId'>,
): UploadKey {
  const parsed = typeof key === 'string' ? parseUploadKey(key) : null;
  if (!parsed) {
    throw new AppError('VALIDATION_ERROR', 'That upload was not recognised. Upload the video again.', {
      fields: { fileKey: ['Invalid upload key.'] },
    });
  }
  const mine = parsed.studentId === student.id;
  const forAssignment =
    !assignment || (parsed.assignmentId === assignment.id && parsed.courseId === assignment.courseId);
  if (!mine || !forAssignment) throw forbidden('That upload does not belong to you or to this assignment.');
  return parsed;
}

export interface SubmissionAccess {
  user: User;
  submission: Submission;
  assignment: Assignment;
  course: Course;
  /** The course's instructor or an admin. */
  mayGrade: boolean;
}

async function loadSubmission(ctx: Ctx, user: User, submissionId: string): Promise<SubmissionAccess> {
  const submission = await ctx.repos.submissions.getById(submissionId);
  if (!submission) throw notFound('Submission');
  const [course, assignment] = await Promise.all([
    ctx.repos.courses.getById(submission.courseId),
    ctx.repos.assignments.getById(submission.assignmentId),
  ]);
  if (!course || !assignment) throw notFound('Submission');
  return { user, submission, assignment, course, mayGrade: teaches(user, course) };
}

/**
 * A submission (with its grade and feedback) is seen by its student, the course instructor
 * and admins. Classmates watch class-visible videos on the video page, never the submission.
 */
export async function requireSubmissionAccess(ctx: Ctx, actor: Actor, submissionId: string): Promise<SubmissionAccess> {
  const access = await loadSubmission(ctx, requireUser(actor), submissionId);
  if (!access.mayGrade && access.submission.studentId !== access.user.id) throw notFound('Submission');
  return access;
}

/**
 * Grading: the course's instructor or an admin. Anyone else is refused with 403 — the
 * original API's answer — and learns nothing of the submission's content.
 */
export async function requireSubmissionGrader(ctx: Ctx, actor: Actor, submissionId: string): Promise<SubmissionAccess> {
  const access = await loadSubmission(ctx, requireUser(actor), submissionId);
  if (!access.mayGrade) throw forbidden('Only the course instructor can grade submissions.');
  return access;
}

export interface VideoAccess {
  user: User;
  video: Video;
  course: Course | null;
  isInstructor: boolean;
  isOwner: boolean;
}

/** Owner, course instructor, admin; classmates only for class-visible videos. */
export async function requireVideoAccess(ctx: Ctx, actor: Actor, videoId: string): Promise<VideoAccess> {
  const user = requireUser(actor);
  const video = await ctx.repos.videos.getById(videoId);
  if (!video) throw notFound('Video');
  const [course, enrollment] = await Promise.all([
    ctx.repos.courses.getById(video.courseId),
    ctx.repos.enrollments.get(video.courseId, user.id),
  ]);
  const isInstructor = course ? teaches(user, course) : user.role === 'admin';
  const isOwner = video.ownerId === user.id;
  const classmateMayWatch = Boolean(enrollment) && video.visibility === 'class';
  // 404, not 403: a private video's existence is nobody else's business.
  if (!isInstructor && !isOwner && !classmateMayWatch) throw notFound('Video');
  return { user, video, course, isInstructor, isOwner };
}

/**
 * Lists by owner (`userId`): your own, or anyone's for an admin. Within a course or an
 * assignment the course rules apply instead, so a filter by classmate is allowed there.
 */
export function requireMayListOwner(user: User, ownerId: string | undefined): string {
  if (ownerId && ownerId !== user.id && user.role !== 'admin') throw forbidden('userId must be your own id.');
  return ownerId ?? user.id;
}

/** Students may list only their own submissions; a studentId naming someone else is refused. */
export function requireMayListStudent(user: User, studentId: string | undefined): void {
  if (user.role === 'student' && studentId && studentId !== user.id) {
    throw forbidden('You can only list your own submissions.');
  }
}

// --- feed ---

export interface FeedAccess {
  user: User;
  /** Whose feed is read: the caller, or (for an admin) the person named by `userId`. */
  owner: User;
}

/**
 * A feed is read by its owner only (no `userId`, or the caller's own); admins may read
 * anyone's. Anyone else naming a userId gets 403, whether or not that user exists.
 */
export async function requireFeedReader(ctx: Ctx, actor: Actor, userId: string | undefined): Promise<FeedAccess> {
  const user = requireUser(actor);
  if (!userId || userId === user.id) return { user, owner: user };
  if (user.role !== 'admin') throw forbidden('You can only read your own feed.');
  const owner = await ctx.repos.users.getById(userId);
  if (!owner) throw notFound('User');
  return { user, owner };
}

// --- video interactions ---

export interface VideoInteractionAccess extends VideoAccess {
  /** The video as an interaction target, as the port wants it proved. */
  target: InteractionTarget;
}

/**
 * Commenting and liking follow watching: whoever may see the video (requireVideoAccess) may
 * discuss it; anyone else gets the same 404 as for watching it.
 */
export async function requireVideoInteraction(
  ctx: Ctx,
  actor: Actor,
  videoId: string,
): Promise<VideoInteractionAccess> {
  const access = await requireVideoAccess(ctx, actor, videoId);
  const { video } = access;
  return { ...access, target: { type: 'video', id: video.id, courseId: video.courseId, ownerId: video.ownerId } };
}

/** Its author may delete a comment; so may whoever moderates the course (instructor, admin). */
export function mayDeleteVideoComment(
  access: Pick<VideoAccess, 'user' | 'isInstructor'>,
  comment: Pick<InteractionRecord, 'userId'>,
): boolean {
  return comment.userId === access.user.id || access.isInstructor;
}

export function requireVideoCommentDeleter(
  access: Pick<VideoAccess, 'user' | 'isInstructor'>,
  comment: Pick<InteractionRecord, 'userId'>,
): void {
  if (!mayDeleteVideoComment(access, comment)) {
    throw forbidden('Only its author or the course instructor can delete this comment.');
  }
}

/** A response answers with a video of your own that you can see (any of your videos). */
export async function requireOwnResponseVideo(ctx: Ctx, actor: Actor, videoId: string): Promise<Video> {
  const { video, isOwner } = await requireVideoAccess(ctx, actor, videoId);
  if (!isOwner) throw forbidden('You can only respond with a video of your own.');
  return video;
}

/** What the course's instructor says on a student's submission video is feedback. */
export function isSubmissionFeedback(access: Pick<VideoAccess, 'video' | 'isInstructor'>): boolean {
  return access.isInstructor && access.video.submissionId !== null;
}

/**
 * The class gallery of an assignment's videos: on a class-visible assignment its members see
 * the class-visible videos (and their own); on a private one only who teaches sees any.
 * Returns the list scope to read with, or null when there is no gallery for this viewer.
 */
export function classGalleryScope(
  access: Pick<AssignmentAccess, 'user' | 'assignment' | 'isInstructor'>,
): VideoListScope | null {
  if (access.isInstructor) return { viewerId: access.user.id, includePrivate: true };
  if (access.assignment.visibility !== 'class') return null;
  return { viewerId: access.user.id, includePrivate: false };
}

// --- community posts ---
// A course's community is its members' (and admins'). Authors edit and delete what they
// wrote; the course's instructor (or an admin) moderates: deletes posts and comments and
// marks announcements, but never rewrites someone else's words.

export interface PostAccess extends CourseAccess {
  post: Post;
  isAuthor: boolean;
  /** The course's instructor or an admin. */
  mayModerate: boolean;
  /** Only the author changes a post's title and body. */
  mayEdit: boolean;
  mayDelete: boolean;
  /** Who marks a post as an announcement: the course's instructor or an admin. */
  mayAnnounce: boolean;
}

/** A member of the post's course. Unknown post → 404; not a member → 403. */
export async function requirePostAccess(ctx: Ctx, actor: Actor, postId: string): Promise<PostAccess> {
  const user = requireUser(actor);
  const post = await ctx.repos.posts.getById(postId);
  if (!post) throw notFound('Post');
  const access = await requireCourseMember(ctx, user, post.courseId);
  const isAuthor = post.authorId === user.id;
  return {
    ...access,
    post,
    isAuthor,
    mayModerate: access.isInstructor,
    mayEdit: isAuthor,
    mayDelete: isAuthor || access.isInstructor,
    mayAnnounce: access.isInstructor,
  };
}

/**
 * Posting in a course: any member. Only the instructor (or an admin) posts announcements; a
 * student's announcement flag is refused with 403 rather than silently dropped, so a client
 * never believes it made an announcement that nobody sees as one.
 */
export async function requirePostAuthor(
  ctx: Ctx,
  actor: Actor,
  courseId: string,
  isAnnouncement: boolean,
): Promise<CourseAccess> {
  const access = await requireCourseMember(ctx, actor, courseId);
  if (isAnnouncement && !access.isInstructor) throw forbidden('Only the course instructor can post announcements.');
  return access;
}

/**
 * A change to a post: title/body by its author; the announcement flag by a moderator (an
 * author who sends the flag unchanged, as an edit form does, is not refused for it).
 */
export async function requirePostEditor(ctx: Ctx, actor: Actor, postId: string, patch: PostPatch): Promise<PostAccess> {
  const access = await requirePostAccess(ctx, actor, postId);
  if (!access.mayEdit && !access.mayAnnounce) throw forbidden('Only the author can edit this post.');
  if ((patch.title !== undefined || patch.body !== undefined) && !access.mayEdit) {
    throw forbidden('Only the author can edit this post.');
  }
  const togglesAnnouncement = patch.isAnnouncement !== undefined && patch.isAnnouncement !== access.post.isAnnouncement;
  if (togglesAnnouncement && !access.mayAnnounce) throw forbidden('Only the course instructor can mark announcements.');
  return access;
}

export async function requirePostDeleter(ctx: Ctx, actor: Actor, postId: string): Promise<PostAccess> {
  const access = await requirePostAccess(ctx, actor, postId);
  if (!access.mayDelete) throw forbidden('Only the author or the course instructor can delete this post.');
  return access;
}

export interface PostCommentAccess extends PostAccess {
  comment: InteractionRecord;
  mayDeleteComment: boolean;
}

/** A comment or reply on this post (another post's comment id is a 404 here). */
export async function requirePostComment(
  ctx: Ctx,
  actor: Actor,
  postId: string,
  commentId: string,
): Promise<PostCommentAccess> {
  const access = await requirePostAccess(ctx, actor, postId);
  const comment = await ctx.repos.interactions.getById(commentId);
  const onThisPost =
    comment?.targetType === 'post' &&
    comment.targetId === access.post.id &&
    (comment.type === 'comment' || comment.type === 'response');
  if (!comment || !onThisPost) throw notFound('Comment');
  return { ...access, comment, mayDeleteComment: comment.userId === access.user.id || access.mayModerate };
}

/** Deleting a comment: its author, or a moderator of the course. */
export async function requirePostCommentDeleter(
  ctx: Ctx,
  actor: Actor,
  postId: string,
  commentId: string,
): Promise<PostCommentAccess> {
  const access = await requirePostComment(ctx, actor, postId, commentId);
  if (!access.mayDeleteComment) throw forbidden('Only the author or the course instructor can delete this comment.');
  return access;
}

// --- connections (study buddies), profiles and the user directory ---------------------------

/** How many of a person's enrolments count when looking for courses they share: one page. */
export const SHARED_COURSES_SCAN = 100;

export interface PersonRelation {
  viewer: User;
  person: User;
  isSelf: boolean;
  /** Courses both are enrolled in (instructor enrolments included). */
  sharedCourseIds: string[];
  /** The viewer teaches a course in which the person is a student (or is an admin). */
  teachesPerson: boolean;
}

/**
 * How the viewer stands to another person: a signed-in viewer may look anyone up (the public
 * profile); what they are shown depends on the relation. Unknown person → 404.
 */
export async function requirePersonRelation(ctx: Ctx, actor: Actor, personId: string): Promise<PersonRelation> {
  const viewer = requireUser(actor);
  const person = personId === viewer.id ? viewer : await ctx.repos.users.getById(personId);
  if (!person) throw notFound('User');
  if (person.id === viewer.id) return { viewer, person, isSelf: true, sharedCourseIds: [], teachesPerson: false };
  const [mine, theirs] = await Promise.all([
    ctx.repos.enrollments.listByUser(viewer.id, { limit: SHARED_COURSES_SCAN }),
    ctx.repos.enrollments.listByUser(person.id, { limit: SHARED_COURSES_SCAN }),
  ]);
  const myRoles = new Map(mine.items.map((e) => [e.courseId, e.role]));
  const shared = theirs.items.filter((e) => myRoles.has(e.courseId));
  const teachesPerson =
    viewer.role === 'admin' || shared.some((e) => e.role === 'student' && myRoles.get(e.courseId) === 'instructor');
  return { viewer, person, isSelf: false, sharedCourseIds: shared.map((e) => e.courseId), teachesPerson };
}

/** Email and other private fields: the person, their instructors and admins — nobody else. */
export function maySeePrivateFields(relation: Pick<PersonRelation, 'isSelf' | 'teachesPerson'>): boolean {
  return relation.isSelf || relation.teachesPerson;
}

/** A profile is edited by its owner or an admin; role, email and password never through it. */
export function requireMayEditProfile(actor: Actor, userId: string | undefined): User {
  const user = requireUser(actor);
  if (userId && userId !== user.id && user.role !== 'admin') throw forbidden('You can only edit your own profile.');
  return user;
}

/**
 * A study-buddy request goes to a classmate (someone sharing a course); admins may connect
 * with anyone. Never to yourself (400), never to an unknown user (404).
 */
export async function requireMayRequestConnection(
  ctx: Ctx,
  actor: Actor,
  requestedId: string,
): Promise<PersonRelation> {
  const user = requireUser(actor);
  if (requestedId === user.id) {
    throw new AppError('VALIDATION_ERROR', 'You cannot connect with yourself.', {
      fields: { requestedId: ['You cannot connect with yourself.'] },
    });
  }
  const relation = await requirePersonRelation(ctx, user, requestedId);
  if (user.role !== 'admin' && relation.sharedCourseIds.length === 0) {
    throw forbidden('You can only connect with people who share a course with you.');
  }
  return relation;
}

/** Ending a connection: decline (the requested user, while pending), cancel (the requester, while pending), remove (either side). */
export type ConnectionEnding = 'decline' | 'cancel' | 'remove';

/** One of the connection's two people. */
export function requireConnectionParty(user: User, connection: Connection): void {
  // 404: whether two other people are connected is not the caller's business.
  if (connection.requesterId !== user.id && connection.requestedId !== user.id) throw notFound('Connection');
}

/** Only the requested user accepts, and only a pending request (409 otherwise). */
export function requireMayAcceptConnection(actor: Actor, connection: Connection): User {
  const user = requireUser(actor);
  requireConnectionParty(user, connection);
  if (connection.requestedId !== user.id) throw forbidden('Only the person who received this request can accept it.');
  if (connection.status !== 'pending') throw new AppError('CONFLICT', 'This request has already been accepted.');
  return user;
}

export function requireMayEndConnection(actor: Actor, connection: Connection, ending: ConnectionEnding): User {
  const user = requireUser(actor);
  requireConnectionParty(user, connection);
  if (ending === 'remove') return user;
  const side = ending === 'decline' ? connection.requestedId : connection.requesterId;
  if (side !== user.id) {
    throw forbidden(
      ending === 'decline'
        ? 'Only the person who received this request can decline it.'
        : 'Only the person who sent this request can cancel it.',
    );
  }
  if (connection.status !== 'pending') throw new AppError('CONFLICT', 'This request has already been accepted.');
  return user;
}

/** The user directory: admins search everyone; others see the people they share a course with. */
export function directoryScope(actor: Actor): { user: User; everyone: boolean } {
  const user = requireUser(actor);
  return { user, everyone: user.role === 'admin' };
}

// --- messaging ---
// Direct messages go between people who already meet in the app: members of a common course
// (students or its instructor) and accepted study buddies. Admins may message anyone, and
// whoever an admin wrote to may answer in that conversation. A thread is read only by its
// two participants; every lookup takes the caller as one side, so no id names another pair.

export interface MessagingAccess {
  user: User;
  /** The person written to. */
  other: User;
  conversationId: string;
}

/**
 * May the viewer start or continue a conversation with the person? `relation` from
 * requirePersonRelation; `buddies` whether the two are accepted study buddies; `withAdmin`
 * whether the person is an admin the viewer already has a conversation with.
 */
export function mayMessage(
  relation: Pick<PersonRelation, 'viewer' | 'isSelf' | 'sharedCourseIds'>,
  buddies: boolean,
  withAdmin = false,
): boolean {
  if (relation.isSelf) return false;
  return relation.viewer.role === 'admin' || relation.sharedCourseIds.length > 0 || buddies || withAdmin;
}

/** Whether the two are accepted study buddies (one read of the pair's derived id). */
async function areBuddies(ctx: Ctx, a: string, b: string): Promise<boolean> {
  const connection = await ctx.repos.connections.get(connectionIdFor(a, b));
  return connection?.status === 'accepted';
}

/**
 * A conversation with an admin stays open for an answer: only an admin can have started it
 * (or the viewer, back when the rule allowed it), so any message in it will do.
 */
async function inConversationWithAdmin(ctx: Ctx, viewer: User, person: User): Promise<boolean> {
  if (person.role !== 'admin') return false;
  const latest = await ctx.repos.messages.listThread(conversationIdFor(viewer.id, person.id), { limit: 1 });
  return latest.items.length > 0;
}

/** Whether the viewer may message the person (the relation already proved), for pages' links. */
export async function mayMessagePerson(ctx: Ctx, relation: PersonRelation): Promise<boolean> {
  if (relation.isSelf) return false;
  if (mayMessage(relation, false)) return true;
  const { viewer, person } = relation;
  return mayMessage(
    relation,
    await areBuddies(ctx, viewer.id, person.id),
    await inConversationWithAdmin(ctx, viewer, person),
  );
}

/** Sending a message: never to yourself (403), never to an unknown user (404), to strangers 403. */
export async function requireMayMessage(ctx: Ctx, actor: Actor, toUserId: string): Promise<MessagingAccess> {
  const user = requireUser(actor);
  if (toUserId === user.id) throw forbidden('You cannot send a message to yourself.');
  const relation = await requirePersonRelation(ctx, user, toUserId);
  if (!(await mayMessagePerson(ctx, relation))) {
    throw forbidden('You can only message people who share a course with you or your study buddies.');
  }
  return { user, other: relation.person, conversationId: conversationIdFor(user.id, relation.person.id) };
}

/**
 * Reading the thread of the caller and `otherUserId`: the caller is always one side, so no
 * id reaches another pair's messages (admins included: private messages are their
 * participants' only). The other side must exist (404).
 */
export async function requireThreadParticipant(ctx: Ctx, actor: Actor, otherUserId: string): Promise<MessagingAccess> {
  const user = requireUser(actor);
  if (otherUserId === user.id) throw forbidden('You have no conversation with yourself.');
  const other = await ctx.repos.users.getById(otherUserId);
  if (!other) throw notFound('User');
  return { user, other, conversationId: conversationIdFor(user.id, other.id) };
}

/** Of a pair named by a client, the side that is not the caller; 403 if neither is the caller. */
export function requireOwnPair(actor: Actor, userId1: string, userId2: string): { user: User; otherUserId: string } {
  const user = requireUser(actor);
  if (userId1 === user.id) return { user, otherUserId: userId2 };
  if (userId2 === user.id) return { user, otherUserId: userId1 };
  throw forbidden('You can only read your own conversations.');
}

/** A conversations list is its owner's only (no admin reads anyone's messages). */
export function requireOwnConversations(actor: Actor, userId: string | undefined): User {
  const user = requireUser(actor);
  if (userId && userId !== user.id) throw forbidden('You can only list your own conversations.');
  return user;
}

// --- notifications ---

/** Notifications are read by their recipient only: a `userId` naming anyone else is refused. */
export function requireNotificationReader(actor: Actor, userId: string | undefined): User {
  const user = requireUser(actor);
  if (userId && userId !== user.id) throw forbidden('You can only read your own notifications.');
  return user;
}

/**
 * One of the caller's own notifications. Someone else's answers exactly as a missing one
 * (404), so a notification id tells a stranger nothing.
 */
export async function requireOwnNotification(
  ctx: Ctx,
  actor: Actor,
  notificationId: string,
): Promise<{ user: User; notification: Notification }> {
  const user = requireUser(actor);
  const notification = notificationId ? await ctx.repos.notifications.getById(notificationId) : null;
  if (!notification || notification.recipientId !== user.id) throw notFound('Notification');
  return { user, notification };
}

/** Who an announcement goes to: every student of a course, or one person. */
export type AnnouncementAudience = { kind: 'course'; course: Course } | { kind: 'person'; recipient: User };

/**
 * Instructors announce to a course they teach or to one student of such a course; admins to
 * any course or user; students to nobody. With both ids, the person must be a student of
 * that course.
 */
export async function requireAnnouncementAudience(
  ctx: Ctx,
  actor: Actor,
  target: { courseId?: string; recipientId?: string },
): Promise<{ sender: User; audience: AnnouncementAudience }> {
  const sender = requireRole(actor, 'instructor', 'admin');
  const { course } = target.courseId ? await requireCourseInstructor(ctx, sender, target.courseId) : { course: null };
  if (!target.recipientId) {
    if (!course) throw new AppError('VALIDATION_ERROR', 'Give a courseId or a recipientId.');
    return { sender, audience: { kind: 'course', course } };
  }
  if (course) {
    const [recipient, enrollment] = await Promise.all([
      ctx.repos.users.getById(target.recipientId),
      ctx.repos.enrollments.get(course.id, target.recipientId),
    ]);
    if (!recipient) throw notFound('User');
    if (enrollment?.role !== 'student') throw forbidden('That person is not a student of this course.');
    return { sender, audience: { kind: 'person', recipient } };
  }
  const relation = await requirePersonRelation(ctx, sender, target.recipientId);
  if (!relation.teachesPerson) throw forbidden('You can only notify students of a course you teach.');
  return { sender, audience: { kind: 'person', recipient: relation.person } };
}

// --- LTI (LMS registrations, tool keys, roster sync) ---

/**
 * LMS registrations and the tool's signing keys are the institution's: admins only. A
 * registration decides who may launch into ClassCast and whose origins may frame it.
 */
export function requireLtiAdmin(actor: Actor): User {
  const user = requireUser(actor);
  if (user.role !== 'admin') throw forbidden('Only administrators can manage LMS registrations.');
  return user;
}

/**
 * Syncing a course's roster from the LMS changes who is enrolled: the course's instructor (or
 * an admin), as for removing a student. Students of the course are refused with 403.
 */
export async function requireRosterSyncer(ctx: Ctx, actor: Actor, courseId: string): Promise<CourseAccess> {
  const access = await courseAccess(ctx, requireUser(actor), courseId);
  if (!access?.isInstructor) throw forbidden('Only the course instructor can sync the roster from the LMS.');
  return access;
}

// --- live stream ---

/** Who a live stream is for: a signed-in page session (the cookie's user and session). */
export interface LiveStreamViewer {
  userId: string;
  sessionId: string;
}

/**
 * /events is your own stream only, over a live page session (401 otherwise); a `userId` the
 * caller names must be their own (403), so a tool cannot listen in on someone else.
 */
export function requireOwnLiveStream(
  viewer: LiveStreamViewer | null,
  requestedUserId: string | null,
): LiveStreamViewer {
  if (!viewer) throw unauthenticated('Sign in to receive live updates.');
  if (requestedUserId !== null && requestedUserId !== viewer.userId) {
    throw forbidden('You can only open your own live stream.');
  }
  return viewer;
}

// --- accounts: mailed links and disabled accounts (issue 16) ---

/** A reset mail for someone else: administrators only, to an account that exists and is enabled. */
export function requireCanSendPasswordReset(actor: Actor, target: User | null): User {
  const admin = requireUser(actor);
  if (admin.role !== 'admin') throw forbidden('Only administrators can send password reset mail for others.');
  if (!target) throw notFound('User');
  if (target.disabledAt) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled: enable it first.');
  return target;
}

/** A disabled account signs in nowhere (password, school sign-in, LMS launch, refresh). */
export function requireEnabledAccount(user: User): User {
  if (user.disabledAt) {
    throw new AppError('ACCOUNT_DISABLED', 'This account is disabled. Contact your administrator.');
  }
  return user;
}

// --- admin (issue 16) ---
// The /admin area is the institution's: admins only. An admin manages other people's role
// and access, never their own (no admin can lock the last admin out by accident), and any
// course can be archived: put away read-only, hidden from its students' lists.

/** Everything under /admin and /api/admin: admins only (403 for everyone else). */
export function requireAdmin(actor: Actor): User {
  const user = requireUser(actor);
  if (user.role !== 'admin') throw forbidden('Only administrators can do that.');
  return user;
}

/**
 * An admin changing someone's role or access. Their own role or access is refused (403 with
 * a message that says why), so an admin never demotes or disables themselves.
 */
export async function requireUserAdministration(
  ctx: Ctx,
  actor: Actor,
  userId: string,
  change: { role?: Role; disabled?: boolean },
): Promise<{ admin: User; target: User }> {
  const admin = requireAdmin(actor);
  const target = userId ? await ctx.repos.users.getById(userId) : null;
  if (!target) throw notFound('User');
  if (target.id === admin.id) {
    if (change.role !== undefined && change.role !== admin.role) {
      throw forbidden('You cannot change your own role. Ask another administrator.');
    }
    if (change.disabled) throw forbidden('You cannot disable your own account. Ask another administrator.');
  }
  return { admin, target };
}

/** Archiving a course (and bringing it back): its instructor or an admin. */
export async function requireCourseArchiver(ctx: Ctx, actor: Actor, courseId: string): Promise<CourseAccess> {
  const access = await courseAccess(ctx, requireUser(actor), courseId);
  if (!access?.isInstructor) throw forbidden('Only the course instructor or an administrator can archive a course.');
  return access;
}

/**
 * An archived course is read-only for everyone: no new assignments, submissions, posts or
 * joins by code. What is already there stays readable by its members. Returns why not, or null.
 */
export function archivedCourseRefusal(course: Pick<Course, 'archivedAt' | 'title'>): AppError | null {
  if (!course.archivedAt) return null;
  return new AppError('CONFLICT', `${course.title} is archived, so it is read-only.`);
}

/** Throws archivedCourseRefusal's error for an archived course. */
export function requireOpenCourse<C extends Pick<Course, 'archivedAt' | 'title'>>(course: C): C {
  const refusal = archivedCourseRefusal(course);
  if (refusal) throw refusal;
  return course;
}

/** "My courses" and the dashboard: students no longer see archived courses; teachers do. */
export function listsCourseFor(course: Pick<Course, 'archivedAt'>, role: CourseRole | 'admin'): boolean {
  return !course.archivedAt || role !== 'student';
}

// --- settings (issue 16) ---

/**
 * A session may be listed or signed out only by the user it belongs to. Someone else's session
 * id answers 404, the same as an unknown one, so ids cannot be probed.
 */
export function requireOwnSession<S extends { userId: string }>(actor: Actor, session: S | null): S {
  const user = requireUser(actor);
  if (!session || session.userId !== user.id) throw notFound('That session');
  return session;
}

/**
 * Deleting an account is for its owner only (the service never takes a user id). An instructor
 * who still teaches courses is refused: the courses would lose their owner.
 */
export function requireMayDeleteOwnAccount(actor: Actor, ownedCourseCount: number): User {
  const user = requireUser(actor);
  if (ownedCourseCount > 0) {
    throw forbidden(
      'You still teach courses. Ask an administrator to hand them to another instructor or archive them before deleting your account.',
    );
  }
  return user;
}
