/**
 * Profiles: what a person shows of themselves (name, bio, avatar) and who sees the rest.
 * Role, email and password are never changed here.
 */
import { z } from 'zod';
import type { Course, User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import {
  mayMessagePerson,
  maySeePrivateFields,
  requireMayEditProfile,
  requirePersonRelation,
  requireUser,
} from './access.server';
import { connectionWith } from './connections.server';
import type { ServiceContext } from './context';
import { avatarUrl, displayName } from './people';

type Ctx = Pick<ServiceContext, 'repos'>;

export const BIO_MAX = 1000;
const NAME_MAX = 100;

/** `GET /api/profile` and `POST /api/profile/update` answer this (the original's keys). */
export interface ProfileData {
  id: string;
  userId: string;
  firstName: string;
  lastName: string;
  fullName: string;
  role: User['role'];
  /** Where to fetch the avatar image (our redirect route), or null. */
  avatar: string | null;
  bio: string | null;
  createdAt: string;
  /** Private: only to the person, their instructors and admins. */
  email?: string;
  studentId?: string | null;
  department?: string | null;
  emailVerified?: boolean;
}

export function profileData(user: User, withPrivateFields: boolean): ProfileData {
  const shown: ProfileData = {
    id: user.id,
    userId: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    fullName: displayName(user),
    role: user.role,
    avatar: avatarUrl(user),
    bio: user.bio,
    createdAt: user.createdAt,
  };
  if (!withPrivateFields) return shown;
  return {
    ...shown,
    email: user.email,
    studentId: user.studentId,
    department: user.department,
    emailVerified: user.emailVerified,
  };
}

const userIdSchema = z.string().trim().min(1).max(100).optional();

/** A profile; missing userId = the caller. Unknown → 404. */
export async function getProfile(ctx: Ctx, actor: User | null, userId: unknown): Promise<ProfileData> {
  const user = requireUser(actor);
  const id = parseInput(userIdSchema, userId || undefined) ?? user.id;
  const relation = await requirePersonRelation(ctx, user, id);
  return profileData(relation.person, maySeePrivateFields(relation));
}

export interface PublicProfile {
  profile: ProfileData;
  isSelf: boolean;
  sharedCourses: Array<Pick<Course, 'id' | 'title' | 'code'>>;
  connection: { connectionId: string; status: 'pending' | 'accepted'; sentByMe: boolean } | null;
  /** A study-buddy request may be sent (a classmate, or anyone for admins, and none yet). */
  mayConnect: boolean;
  /** Whether the viewer may send this person a direct message. */
  mayMessage: boolean;
}

/** The `/users/:userId` page. */
export async function publicProfile(ctx: Ctx, actor: User | null, userId: string): Promise<PublicProfile> {
  const relation = await requirePersonRelation(ctx, actor, userId);
  const { viewer, person, isSelf } = relation;
  const [courses, connection, mayMessage] = await Promise.all([
    relation.sharedCourseIds.length ? ctx.repos.courses.getMany(relation.sharedCourseIds) : Promise.resolve([]),
    connectionWith(ctx, viewer, person.id),
    mayMessagePerson(ctx, relation),
  ]);
  const mayRequest = !isSelf && (viewer.role === 'admin' || relation.sharedCourseIds.length > 0);
  return {
    profile: profileData(person, maySeePrivateFields(relation)),
    isSelf,
    sharedCourses: courses.map((c) => ({ id: c.id, title: c.title, code: c.code })),
    connection: connection
      ? {
          connectionId: connection.connectionId,
          status: connection.status,
          sentByMe: connection.requesterId === viewer.id,
        }
      : null,
    mayConnect: mayRequest && !connection,
    mayMessage,
  };
}

const nameField = (label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(NAME_MAX, tooLongMessage(label, NAME_MAX));

const updateSchema = z.object({
  userId: userIdSchema,
  firstName: nameField('First name').optional(),
  lastName: nameField('Last name').optional(),
  bio: z
    .string({ error: 'Bio must be text.' })
    .trim()
    .max(BIO_MAX, tooLongMessage('Bio', BIO_MAX))
    .nullable()
    .optional(),
});

/**
 * `{userId?, firstName?, lastName?, bio?}`: the caller's own profile, or anyone's for an
 * admin (403 otherwise). Any other key (role, email, password, avatar) is ignored.
 */
export async function updateProfile(
  ctx: Ctx,
  actor: User | null,
  input: Record<string, unknown>,
): Promise<ProfileData> {
  const data = parseInput(updateSchema, { ...input, userId: input.userId || undefined });
  const editor = requireMayEditProfile(actor, data.userId);
  const target = data.userId && data.userId !== editor.id ? await ctx.repos.users.getById(data.userId) : editor;
  if (!target) throw new AppError('NOT_FOUND', 'That user was not found.');
  const patch: { firstName?: string; lastName?: string; bio?: string | null } = {};
  if (data.firstName !== undefined) patch.firstName = data.firstName;
  if (data.lastName !== undefined) patch.lastName = data.lastName;
  if (data.bio !== undefined) patch.bio = data.bio ? data.bio : null;
  const updated = Object.keys(patch).length ? await ctx.repos.users.update(target.id, patch) : target;
  return profileData(updated, true);
}
