import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
import {
  batchGet,
  cancellationCodes,
  isPlausibleId,
  retryOnConflict,
  updateIf,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, emailClaimKey, userKey } from './keys';

export function toUser(item: Item): User {
  return {
    id: item.id as string,
    email: item.email as string,
    firstName: item.firstName as string,
    lastName: item.lastName as string,
    role: item.role as User['role'],
    passwordHash: (item.passwordHash as string | null | undefined) ?? null,
    avatar: (item.avatar as string | null | undefined) ?? null,
    bio: (item.bio as string | null | undefined) ?? null,
    studentId: (item.studentId as string | null | undefined) ?? null,
    department: (item.department as string | null | undefined) ?? null,
    emailVerified: item.emailVerified === true,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

const isUser = (item: Item | undefined): item is Item => item?.entity === ENTITY.user;

/** Longest email we will look up (RFC 5321 allows 254). */
const MAX_EMAIL = 320;

export function createUsersRepository(ctx: DynamoContext): Omit<UsersRepository, 'search'> {
  const table = ctx.tables.users;

  async function getById(id: string): Promise<User | null> {
    if (!isPlausibleId(id)) return null;
    const out = await ctx.doc.send(new GetCommand({ TableName: table, Key: userKey(id), ConsistentRead: true }));
    return isUser(out.Item) ? toUser(out.Item) : null;
  }

  return {
    async create(input: NewUser): Promise<User> {
      const user = newUserRecord(input, newId(), ctx.now().toISOString());
      try {
        // The user and its email claim in one transaction: the claim's condition is the
        // uniqueness constraint, so concurrent signups with one email cannot both win.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: table,
                    Item: { ...userKey(user.id), entity: ENTITY.user, ...user },
                    ConditionExpression: 'attribute_not_exists(userId)',
                  },
                },
                {
                  Put: {
                    TableName: table,
                    Item: {
                      ...emailClaimKey(user.email),
                      entity: ENTITY.emailClaim,
                      ownerId: user.id,
                      createdAt: user.createdAt,
                    },
                    ConditionExpression: 'attribute_not_exists(userId)',
                  },
                },
              ],
            }),
          ),
        );
      } catch (err) {
        if (cancellationCodes(err)?.[1] === 'ConditionalCheckFailed') throw new DataConflictError('email');
        throw err;
      }
      return user;
    },

    getById,

    async getByEmail(email: string): Promise<User | null> {
      const normalized = normalizeEmail(email);
      if (!normalized || normalized.length > MAX_EMAIL) return null;
      const claim = await ctx.doc.send(
        new GetCommand({ TableName: table, Key: emailClaimKey(normalized), ConsistentRead: true }),
      );
      if (claim.Item?.entity !== ENTITY.emailClaim) return null;
      return getById(claim.Item.ownerId as string);
    },

    async getMany(ids: readonly string[]): Promise<User[]> {
      const unique = [...new Set(ids)].filter(isPlausibleId);
      if (unique.length === 0) return [];
      const items = await batchGet(ctx, table, unique.map(userKey));
      const byId = new Map(items.filter(isUser).map((i) => [i.id as string, toUser(i)]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    },

    async update(id: string, patch: UserPatch): Promise<User> {
      if (!isPlausibleId(id)) throw new DataNotFoundError('user', id);
      const { firstName, lastName, avatar, bio, studentId, department, passwordHash, emailVerified, role } = patch;
      const item = await updateIf(ctx, {
        table,
        key: userKey(id),
        set: {
          firstName,
          lastName,
          avatar,
          bio,
          studentId,
          department,
          passwordHash,
          emailVerified,
          role,
          updatedAt: ctx.now().toISOString(),
        },
        condition: 'attribute_exists(userId) AND #entity = :entity',
        names: { '#entity': 'entity' },
        values: { ':entity': ENTITY.user },
      });
      if (!item) throw new DataNotFoundError('user', id);
      return toUser(item);
    },
  };
}
