/**
 * The demo course's community (issue 10, item 10): posts by the instructor and students,
 * comments (some time-coded, one reply), likes, a video response, two study-buddy pairs and
 * one pending request, so a first start shows a busy feed. Written through the repositories'
 * transactional methods, so every counter is exact and every person concerned gets the
 * notification a real like, comment or request would have written.
 */
import type {
  InteractionRecord,
  InteractionTarget,
  NewNotification,
  NotificationType,
  Post,
  User,
  Video,
} from '~/data/repository';
import type { ServiceContext } from './context';
import { displayName } from './people';

/** Demo students by first name (the seed's own four). */
export type DemoStudents = Record<'leo' | 'aisha' | 'tom' | 'priya', User>;

function notice(
  actor: User,
  recipientId: string,
  type: NotificationType,
  message: string,
  related: { id: string; type: string; url: string },
): NewNotification | null {
  if (actor.id === recipientId) return null;
  const name = displayName(actor);
  return {
    recipientId,
    senderId: actor.id,
    senderName: name,
    type,
    title: `${name} ${message}`,
    message: `${name} ${message}`,
    relatedId: related.id,
    relatedType: related.type,
    actionUrl: related.url,
  };
}

const videoTarget = (v: Video): InteractionTarget => ({
  type: 'video',
  id: v.id,
  courseId: v.courseId,
  ownerId: v.ownerId,
});
const postTarget = (p: Post): InteractionTarget => ({
  type: 'post',
  id: p.id,
  courseId: p.courseId,
  ownerId: p.authorId,
});
const pageOf = (t: InteractionTarget) => (t.type === 'video' ? `/videos/${t.id}` : `/community/posts/${t.id}`);

/**
 * Fills the community of `courseId` unless it already has posts (a second start adds
 * nothing). The videos are found by the titles the seed gave them.
 */
export async function seedCommunity(
  ctx: ServiceContext,
  instructor: User,
  courseId: string,
  students: DemoStudents,
): Promise<void> {
  const { repos } = ctx;
  const existing = await repos.posts.listByCourse(courseId, { limit: 1 });
  if (existing.items.length > 0) return;
  const { leo, aisha, tom, priya } = students;
  const videos = (
    await repos.videos.listByCourse(courseId, { viewerId: instructor.id, includePrivate: true }, { limit: 100 })
  ).items;
  const video = (title: string) => videos.find((v) => v.title === title);

  const post = (author: User, title: string, body: string, isAnnouncement = false) =>
    repos.posts.create({ courseId, authorId: author.id, title, body, isAnnouncement });
  const comment = async (
    actor: User,
    target: InteractionTarget,
    content: string,
    extra: { atSeconds?: number; parent?: InteractionRecord; responseVideoId?: string } = {},
  ) => {
    const type = extra.responseVideoId ? 'response' : 'comment';
    const recipient = extra.parent ? extra.parent.userId : target.ownerId;
    const said = extra.parent
      ? 'replied to your comment'
      : type === 'response'
        ? 'responded to your video'
        : 'commented';
    return repos.interactions.addComment(
      {
        target,
        userId: actor.id,
        type,
        content,
        atSeconds: extra.atSeconds ?? null,
        parentId: extra.parent?.id ?? null,
        responseVideoId: extra.responseVideoId ?? null,
      },
      notice(actor, recipient, type === 'response' ? 'response' : 'comment', said, {
        id: target.id,
        type: target.type,
        url: pageOf(target),
      }),
    );
  };
  const like = (actor: User, target: InteractionTarget) => {
    const notification = notice(actor, target.ownerId, 'like', `liked your ${target.type}`, {
      id: target.id,
      type: target.type,
      url: pageOf(target),
    });
    // The same key as a like through the app, so seeded likes collapse as real ones do.
    return repos.interactions.setLike({
      target,
      userId: actor.id,
      liked: true,
      notification: notification && { ...notification, collapseKey: `like:${target.type}:${target.id}` },
    });
  };

  const welcome = await post(
    instructor,
    'Welcome to BIO-101',
    'Hello everyone! Post questions here, and watch each other’s videos: explaining an idea to a classmate is the best way to learn it.\n\nOffice hours: Tuesdays 2–4 pm.',
    true,
  );
  const studyGroup = await post(
    aisha,
    'Study group for the DNA assignment?',
    'I want to practise explaining replication before I record. Anyone up for a call this week?',
  );
  const explainer = await post(
    tom,
    'A good mitochondria explainer',
    'This helped me with the cells assignment:\nhttps://en.wikipedia.org/wiki/Mitochondrion',
  );

  const leoDna = video('Unzipping the double helix');
  const tomDna = video('DNA replication with LEGO');
  const aishaCells = video('My cell tour');
  const priyaCells = video('Three organelles in two minutes');

  if (leoDna) {
    await comment(aisha, videoTarget(leoDna), 'The zipper picture right at the start made it click for me.', {
      atSeconds: 0.5,
    });
    await like(aisha, videoTarget(leoDna));
    await like(priya, videoTarget(leoDna));
  }
  if (tomDna) {
    const lego = await comment(leo, videoTarget(tomDna), 'The LEGO helicase is brilliant!', { atSeconds: 1 });
    await comment(tom, videoTarget(tomDna), 'Thanks! It took me ages to build.', { parent: lego });
    await like(leo, videoTarget(tomDna));
  }
  if (aishaCells && priyaCells) {
    await comment(priya, videoTarget(aishaCells), 'My take on the same three organelles.', {
      responseVideoId: priyaCells.id,
    });
  }
  const signUp = await comment(priya, postTarget(studyGroup), 'Count me in. Thursday after class?');
  await comment(aisha, postTarget(studyGroup), 'Thursday works. Library, room 2.', { parent: signUp });
  await comment(leo, postTarget(explainer), 'Thanks, the diagrams are great.');
  await like(leo, postTarget(welcome));
  await like(tom, postTarget(welcome));
  await like(priya, postTarget(studyGroup));

  const befriend = async (from: User, to: User, accepted: boolean) => {
    const { connection } = await repos.connections.request({
      requesterId: from.id,
      requestedId: to.id,
      notification: notice(from, to.id, 'connection_request', 'wants to be your study buddy', {
        id: from.id,
        type: 'user',
        url: '/connections',
      }),
    });
    if (!accepted || connection.status === 'accepted') return;
    await repos.connections.accept(
      connection.connectionId,
      notice(to, from.id, 'connection_accepted', 'accepted your study-buddy request', {
        id: to.id,
        type: 'user',
        url: '/connections',
      }),
    );
  };
  await befriend(leo, aisha, true);
  await befriend(tom, priya, true);
  await befriend(priya, leo, false);
}
