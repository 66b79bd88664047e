import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import {
  DEFAULT_MAIL_PREFERENCES,
  newUserRecord,
  normalizeEmail,
  type NewUser,
  type PageRequest,
  type User,
  type UserPatch,
  type UserSearch,
  type UsersRepository,
  type MailPreferences,
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
import { decodeCursor, encodeCursor } from '../cursor';
import { ENTITY, cognitoClaimKey, emailClaimKey, userKey } from './keys';
import { queryPage } from './query';
import { INDEXES } from './tables';

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
    // Users written before issue 16 have neither attribute: active, default preferences.
    disabledAt: (item.disabledAt as string | null | undefined) ?? null,
    mailPreferences: {
      ...DEFAULT_MAIL_PREFERENCES,
      ...((item.mailPreferences as Partial<MailPreferences> | undefined) ?? {}),
    },
    cognitoSub: (item.cognitoSub as string | null | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

const isUser = (item: Item | undefined): item is Item => item?.entity === ENTITY.user;

/**
 * The directory attributes of a user item: every user sits in ONE `directory = "user"`
 * partition of `directory-name-index`, sorted by `<lastName>␁<firstName>␁<id>` (U+0001 sorts
 * below every printable character, so "Smith" comes before "Smith Jones", as by last name
 * alone), and `searchText` holds what a search term may match, lower-cased.
 */
const DIRECTORY = 'user';
const SEP = '\u0001';
/**
 * A sort key holds at most 1024 bytes: each name counts with its first 100 characters (at
 * most 400 bytes; sign-up allows 80), so no name can make a user unwritable.
 */
const SORT_NAME_CHARS = 100;
/** Query calls per search page at most: a page may come back short, with a cursor. */
const MAX_SEARCH_CALLS = 4;

interface SearchCursor extends Record<string, unknown> {
  /** The search (term, role) the position belongs to. */
  s: string;
  /** The directory index position (queryPage's own cursor). */
  p: string;
}

function directoryFields(u: Pick<User, 'id' | 'firstName' | 'lastName' | 'email'>) {
  return {
    directory: DIRECTORY,
    directorySort: [u.lastName.slice(0, SORT_NAME_CHARS), u.firstName.slice(0, SORT_NAME_CHARS), u.id].join(SEP),
    searchText: [`${u.firstName} ${u.lastName}`, u.email].join(SEP).toLowerCase(),
  };
}

/** Rounds of "someone renamed the user between our read and write" before giving up. */
const MAX_RENAME_ATTEMPTS = 5;

/** Longest email we will look up (RFC 5321 allows 254). */
const MAX_EMAIL = 320;
/** Cognito subs are UUIDs; anything far longer names nobody (and would not fit a key). */
const MAX_SUB = 256;

function cognitoClaimPut(table: string, sub: string, ownerId: string, createdAt: string) {
  return {
    Put: {
      TableName: table,
      Item: { ...cognitoClaimKey(sub), entity: ENTITY.cognitoClaim, ownerId, createdAt },
      ConditionExpression: 'attribute_not_exists(userId)',
    },
  };
}

export function createUsersRepository(ctx: DynamoContext): UsersRepository {
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
                    Item: { ...userKey(user.id), entity: ENTITY.user, ...user, ...directoryFields(user) },
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
                ...(user.cognitoSub ? [cognitoClaimPut(table, user.cognitoSub, user.id, user.createdAt)] : []),
              ],
            }),
          ),
        );
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[1] === 'ConditionalCheckFailed') throw new DataConflictError('email');
        if (codes?.[2] === 'ConditionalCheckFailed') throw new DataConflictError('cognitoSub');
        throw err;
      }
      return user;
    },

    getById,

    async getByCognitoSub(sub: string): Promise<User | null> {
      if (!sub || sub.length > MAX_SUB) return null;
      const claim = await ctx.doc.send(
        new GetCommand({ TableName: table, Key: cognitoClaimKey(sub), ConsistentRead: true }),
      );
      if (claim.Item?.entity !== ENTITY.cognitoClaim) return null;
      return getById(claim.Item.ownerId as string);
    },

    async linkCognitoSub(id: string, sub: string): Promise<User> {
      const user = await getById(id);
      if (!user) throw new DataNotFoundError('user', id);
      if (user.cognitoSub === sub) return user;
      if (user.cognitoSub) throw new DataConflictError('cognitoSub');
      const updatedAt = ctx.now().toISOString();
      try {
        // The user's attribute and the sub's claim together: the claim's condition keeps one
        // sub on one user, the user's condition keeps one sub per user.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: table,
                    Key: userKey(id),
                    UpdateExpression: 'SET #cognitoSub = :sub, #updatedAt = :updatedAt',
                    ConditionExpression:
                      '#entity = :entity AND (attribute_not_exists(#cognitoSub) OR attribute_type(#cognitoSub, :null))',
                    ExpressionAttributeNames: {
                      '#cognitoSub': 'cognitoSub',
                      '#updatedAt': 'updatedAt',
                      '#entity': 'entity',
                    },
                    ExpressionAttributeValues: {
                      ':sub': sub,
                      ':updatedAt': updatedAt,
                      ':entity': ENTITY.user,
                      ':null': 'NULL',
                    },
                  },
                },
                cognitoClaimPut(table, sub, id, updatedAt),
              ],
            }),
          ),
        );
      } catch (err) {
        if (cancellationCodes(err)?.some((code) => code === 'ConditionalCheckFailed')) {
          throw new DataConflictError('cognitoSub');
        }
        throw err;
      }
      return { ...user, cognitoSub: sub, updatedAt };
    },

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
      const { disabledAt, mailPreferences } = patch;
      const renames = firstName !== undefined || lastName !== undefined;
      for (let attempt = 0; attempt < MAX_RENAME_ATTEMPTS; attempt++) {
        // A rename rewrites the directory keys from both names: read the other one, and make
        // the write conditional on the names read, so a concurrent rename cannot be mixed in.
        const current = renames ? await getById(id) : null;
        if (renames && !current) throw new DataNotFoundError('user', id);
        const directory = current
          ? directoryFields({
              ...current,
              firstName: firstName ?? current.firstName,
              lastName: lastName ?? current.lastName,
            })
          : {};
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
            disabledAt,
            mailPreferences: mailPreferences && { ...mailPreferences },
            ...directory,
            updatedAt: ctx.now().toISOString(),
          },
          condition: current
            ? 'attribute_exists(userId) AND #entity = :entity AND #firstName = :wasFirst AND #lastName = :wasLast'
            : 'attribute_exists(userId) AND #entity = :entity',
          names: { '#entity': 'entity', ...(current ? { '#firstName': 'firstName', '#lastName': 'lastName' } : {}) },
          values: {
            ':entity': ENTITY.user,
            ...(current ? { ':wasFirst': current.firstName, ':wasLast': current.lastName } : {}),
          },
        });
        if (item) return toUser(item);
        if (!current) throw new DataNotFoundError('user', id);
      }
      throw new DataConflictError('name');
    },

    /**
     * Moves the email claim with the address in ONE transaction: the user (still at the old
     * address), the old claim (still this user's) and the new claim (`attribute_not_exists`,
     * the uniqueness). Of two users racing to one address exactly one transaction commits.
     */
    async changeEmail(id: string, email: string, emailVerified: boolean): Promise<User> {
      const next = normalizeEmail(email);
      for (let attempt = 0; attempt < MAX_RENAME_ATTEMPTS; attempt++) {
        const current = await getById(id);
        if (!current) throw new DataNotFoundError('user', id);
        const updatedAt = ctx.now().toISOString();
        if (current.email === next) {
          const item = await updateIf(ctx, {
            table,
            key: userKey(id),
            set: { emailVerified, updatedAt },
            condition: '#entity = :entity AND #email = :email',
            names: { '#entity': 'entity', '#email': 'email' },
            values: { ':entity': ENTITY.user, ':email': next },
          });
          if (item) return toUser(item);
          continue; // moved meanwhile: re-read
        }
        const { searchText } = directoryFields({ ...current, email: next });
        try {
          await retryOnConflict(() =>
            ctx.doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName: table,
                      Key: userKey(id),
                      UpdateExpression:
                        'SET #email = :next, #emailVerified = :verified, #searchText = :searchText, #updatedAt = :updatedAt',
                      ConditionExpression: '#entity = :entity AND #email = :was',
                      ExpressionAttributeNames: {
                        '#email': 'email',
                        '#emailVerified': 'emailVerified',
                        '#searchText': 'searchText',
                        '#updatedAt': 'updatedAt',
                        '#entity': 'entity',
                      },
                      ExpressionAttributeValues: {
                        ':next': next,
                        ':verified': emailVerified,
                        ':searchText': searchText,
                        ':updatedAt': updatedAt,
                        ':entity': ENTITY.user,
                        ':was': current.email,
                      },
                    },
                  },
                  {
                    Delete: {
                      TableName: table,
                      Key: emailClaimKey(current.email),
                      ConditionExpression: 'ownerId = :id',
                      ExpressionAttributeValues: { ':id': id },
                    },
                  },
                  {
                    Put: {
                      TableName: table,
                      Item: { ...emailClaimKey(next), entity: ENTITY.emailClaim, ownerId: id, createdAt: updatedAt },
                      ConditionExpression: 'attribute_not_exists(userId)',
                    },
                  },
                ],
              }),
            ),
          );
        } catch (err) {
          const codes = cancellationCodes(err);
          if (codes?.[2] === 'ConditionalCheckFailed') throw new DataConflictError('email');
          if (codes?.includes('ConditionalCheckFailed')) continue; // changed under us: re-read
          throw err;
        }
        return { ...current, email: next, emailVerified, updatedAt };
      }
      throw new DataConflictError('email');
    },

    /**
     * The directory partition in name order; the term and role are a FilterExpression, so
     * a page reads at most MAX_SEARCH_CALLS Query calls and may come back short (with a
     * cursor at the last user read: following it visits every match once, in order).
     */
    async search(filter: UserSearch, req?: PageRequest) {
      const term = filter.term?.trim().toLowerCase() ?? '';
      // The separator would let a term match across two fields; no name or email holds it.
      if (term.includes(SEP)) return { items: [], nextCursor: null };
      const parts: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      if (term) {
        parts.push('contains(#searchText, :term)');
        names['#searchText'] = 'searchText';
        values[':term'] = term;
      }
      if (filter.role) {
        parts.push('#role = :role');
        names['#role'] = 'role';
        values[':role'] = filter.role;
      }
      // The cursor names its search too: a position is only valid for the term and role that made it.
      const scope = JSON.stringify([term, filter.role ?? null]);
      const inner = decodeCursor(req?.cursor, (v): v is SearchCursor => {
        const c = v as Partial<SearchCursor> | null;
        return (
          typeof c === 'object' && c !== null && c.s === scope && typeof c.p === 'string' && Object.keys(c).length === 2
        );
      });
      const page = await queryPage(
        ctx,
        {
          table,
          index: INDEXES.userDirectory,
          partitionAttr: 'directory',
          partitionValue: DIRECTORY,
          keyAttrs: ['userId', 'directory', 'directorySort'],
          descending: false,
          filter: parts.length ? { expression: parts.join(' AND '), names, values } : undefined,
          maxCalls: MAX_SEARCH_CALLS,
        },
        { limit: req?.limit, cursor: inner?.p ?? null },
      );
      return {
        items: page.items.filter(isUser).map(toUser),
        nextCursor:
          page.nextCursor === null ? null : encodeCursor({ s: scope, p: page.nextCursor } satisfies SearchCursor),
      };
    },
  };
}
