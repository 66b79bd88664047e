import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  newUserRecord,
  normalizeEmail,
  type NewUser,
  type User,
  type UserPatch,
  type UsersRepository,
} from '../repository';
import type { PrismaClient } from './client';
import { USER } from './columns';
import { statement, type Reader } from './statements';
import type { User as UserRow } from '../../../generated/prisma/client';
import {
  isRecordNotFound,
  isUniqueViolation,
  mailPreferenceColumns,
  pick,
  toUser,
  uniqueViolationFields,
} from './mapping';
import { systemClock, type Clock } from '../repository';
import { searchUsers } from './user-directory';

const PATCHABLE = [
  'firstName',
  'lastName',
  'avatar',
  'bio',
  'studentId',
  'department',
  'passwordHash',
  'emailVerified',
  'role',
] as const satisfies readonly (keyof UserPatch)[];

const BY_ID = statement('users.byId', `SELECT ${USER} FROM users WHERE id = $1`);
const BY_EMAIL = statement('users.byEmail', `SELECT ${USER} FROM users WHERE email = $1`);
const BY_COGNITO_SUB = statement('users.byCognitoSub', `SELECT ${USER} FROM users WHERE cognito_sub = $1`);
const BY_IDS = statement('users.byIds', `SELECT ${USER} FROM users WHERE id = ANY($1::text[])`);

export function prismaUsers(prisma: PrismaClient, reader: Reader, clock: Clock = systemClock): UsersRepository {
  return {
    async create(input: NewUser): Promise<User> {
      const { mailPreferences, disabledAt, ...user } = newUserRecord(input, newId(), clock().toISOString());
      try {
        const row = await prisma.user.create({
          data: {
            ...user,
            ...mailPreferenceColumns(mailPreferences),
            disabledAt: disabledAt ? new Date(disabledAt) : null,
            createdAt: new Date(user.createdAt),
            updatedAt: new Date(user.updatedAt),
          },
        });
        return toUser(row);
      } catch (error) {
        // Ids are fresh ULIDs: the clash is on the email or the Cognito sub.
        if (isUniqueViolation(error)) throw new DataConflictError(conflictOn(error));
        throw error;
      }
    },

    async getById(id) {
      const [row] = await reader.rows<UserRow>(BY_ID, [id]);
      return row ? toUser(row) : null;
    },

    async getByEmail(email) {
      const [row] = await reader.rows<UserRow>(BY_EMAIL, [normalizeEmail(email)]);
      return row ? toUser(row) : null;
    },

    async getByCognitoSub(sub) {
      const [row] = await reader.rows<UserRow>(BY_COGNITO_SUB, [sub]);
      return row ? toUser(row) : null;
    },

    async linkCognitoSub(id, sub) {
      try {
        // Only an unlinked user (or one already holding this sub) is written: a link never moves.
        const { count } = await prisma.user.updateMany({
          where: { id, OR: [{ cognitoSub: null }, { cognitoSub: sub }] },
          data: { cognitoSub: sub, updatedAt: clock() },
        });
        if (count === 1) return toUser(await prisma.user.findUniqueOrThrow({ where: { id } }));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DataConflictError('cognitoSub');
        throw error;
      }
      const existing = await prisma.user.findUnique({ where: { id }, select: { id: true } });
      if (!existing) throw new DataNotFoundError('user', id);
      throw new DataConflictError('cognitoSub');
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await reader.rows<UserRow>(BY_IDS, [[...new Set(ids)]]);
      return rows.map(toUser);
    },

    async update(id, patch) {
      try {
        const row = await prisma.user.update({
          where: { id },
          data: {
            ...pick(patch, PATCHABLE),
            ...(patch.disabledAt !== undefined && {
              disabledAt: patch.disabledAt === null ? null : new Date(patch.disabledAt),
            }),
            ...(patch.mailPreferences && mailPreferenceColumns(patch.mailPreferences)),
            updatedAt: clock(),
          },
        });
        return toUser(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('user', id);
        throw error;
      }
    },

    /** One UPDATE: the unique index on email decides between concurrent movers to one address. */
    async changeEmail(id, email, emailVerified) {
      try {
        const row = await prisma.user.update({
          where: { id },
          data: { email: normalizeEmail(email), emailVerified, updatedAt: clock() },
        });
        return toUser(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('user', id);
        if (isUniqueViolation(error)) throw new DataConflictError('email');
        throw error;
      }
    },

    search: (filter, page = {}) => searchUsers(prisma, filter, page),
  };
}

function conflictOn(error: unknown): 'email' | 'cognitoSub' {
  return uniqueViolationFields(error).some((field) => field.includes('cognito')) ? 'cognitoSub' : 'email';
}
