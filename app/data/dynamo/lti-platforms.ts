/**
 * LTI platform registrations and the tool's signing keys on DynamoDB (part of the LtiRepository
 * in lti.ts; key shapes in lti-items.ts). A registration lives in one small partition of
 * classcast-courses, guarded by a claim item on (issuer, client id) written in the same
 * transaction; moving a registration to another (issuer, client id) moves its claim with it.
 */
import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../cursor';
import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import { isPlatformCursor, type PlatformCursor } from '../lti-cursors';
import { clampLimit, type LtiPlatform, type LtiPlatformPatch, type LtiRepository } from '../repository';
import {
  batchGet,
  cancellationCodes,
  isConditionalCheckFailed,
  isPlausibleId,
  retryOnConflict,
  updateIf,
  type DynamoContext,
  type Item,
} from './client';
import {
  KEYS_PARTITION,
  LTI_ENTITY,
  PLATFORMS_PARTITION,
  CCF,
  MAX_TRIES,
  entityIs,
  issuerPartition,
  platformClaimItem,
  platformClaimKey,
  platformItem,
  platformKey,
  readLtiItem,
  toPlatform,
  toToolKey,
  toolKeyKey,
} from './lti-items';

const byNameThenId = (a: LtiPlatform, b: LtiPlatform) =>
  a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1;

/** The LtiRepository's platform and key methods. */
export function ltiRegistrations(
  ctx: DynamoContext,
): Pick<
  LtiRepository,
  | 'createPlatform'
  | 'getPlatform'
  | 'findPlatform'
  | 'listPlatformsByIssuer'
  | 'listPlatforms'
  | 'updatePlatform'
  | 'deletePlatform'
  | 'addKey'
  | 'listKeys'
  | 'setKeyRetiresAt'
  | 'deleteKey'
> {
  const { courses } = ctx.tables;
  const now = () => ctx.now().toISOString();
  const getItem = (table: string, key: Item, entity: string) => readLtiItem(ctx, table, key, entity);

  /** Every item of a (small) partition of classcast-courses, in sort-key order, all pages. */
  async function wholePartition(partition: string, entity: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: courses,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'courseId' },
          ExpressionAttributeValues: { ':pk': partition },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as Item[]).filter((i) => i.entity === entity));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async function platformsByIds(ids: string[]): Promise<LtiPlatform[]> {
    if (ids.length === 0) return [];
    const items = await batchGet(ctx, courses, ids.map(platformKey));
    return items.filter((i) => i.entity === LTI_ENTITY.platform).map(toPlatform);
  }

  async function getPlatform(id: string): Promise<LtiPlatform | null> {
    if (!isPlausibleId(id)) return null;
    const item = await getItem(courses, platformKey(id), LTI_ENTITY.platform);
    return item ? toPlatform(item) : null;
  }

  /** Deletes the claim only if it still names this platform (a moved claim is someone else's). */
  const deleteClaimOf = (p: LtiPlatform) => ({
    Delete: {
      TableName: courses,
      Key: platformClaimKey(p.issuer, p.clientId),
      ConditionExpression: 'attribute_not_exists(courseId) OR platformId = :id',
      ExpressionAttributeValues: { ':id': p.id },
    },
  });

  /** The platform's Update, valid only while its (issuer, client id) is still `current`'s. */
  function platformUpdate(current: LtiPlatform, next: LtiPlatform) {
    const item = platformItem(next);
    const fields = ['name', 'issuer', 'clientId', 'deploymentIds', 'authUrl', 'tokenUrl', 'jwksUrl', 'updatedAt'];
    return {
      Update: {
        TableName: courses,
        Key: platformKey(current.id),
        UpdateExpression: `SET ${fields.map((f) => `#${f} = :${f}`).join(', ')}`,
        ConditionExpression: '#entity = :entity AND #issuer = :oldIssuer AND #clientId = :oldClientId',
        ExpressionAttributeNames: { '#entity': 'entity', ...Object.fromEntries(fields.map((f) => [`#${f}`, f])) },
        ExpressionAttributeValues: {
          ':entity': LTI_ENTITY.platform,
          ':oldIssuer': current.issuer,
          ':oldClientId': current.clientId,
          ...Object.fromEntries(fields.map((f) => [`:${f}`, item[f]])),
        },
      },
    };
  }

  async function updatePlatformOnce(current: LtiPlatform, patch: LtiPlatformPatch): Promise<LtiPlatform | null> {
    const defined = <K extends keyof LtiPlatformPatch>(key: K) => patch[key] ?? current[key];
    const next: LtiPlatform = {
      ...current,
      name: defined('name'),
      issuer: defined('issuer'),
      clientId: defined('clientId'),
      deploymentIds: [...defined('deploymentIds')],
      authUrl: defined('authUrl'),
      tokenUrl: defined('tokenUrl'),
      jwksUrl: defined('jwksUrl'),
      updatedAt: now(),
    };
    const moves = next.issuer !== current.issuer || next.clientId !== current.clientId;
    const items = moves
      ? [
          platformUpdate(current, next),
          deleteClaimOf(current),
          {
            Put: {
              TableName: courses,
              Item: platformClaimItem(next),
              ConditionExpression: 'attribute_not_exists(courseId)',
            },
          },
        ]
      : [platformUpdate(current, next)];
    try {
      await retryOnConflict(() => ctx.doc.send(new TransactWriteCommand({ TransactItems: items })));
      return next;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[2] === CCF) throw new DataConflictError('ltiPlatform');
      // Changed or deleted since we read it: read again.
      if (codes?.[0] === CCF) return null;
      throw err;
    }
  }

  return {
    async createPlatform(input) {
      const at = now();
      const platform: LtiPlatform = {
        id: newId(),
        name: input.name,
        issuer: input.issuer,
        clientId: input.clientId,
        deploymentIds: [...input.deploymentIds],
        authUrl: input.authUrl,
        tokenUrl: input.tokenUrl,
        jwksUrl: input.jwksUrl,
        createdAt: at,
        updatedAt: at,
      };
      try {
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: courses,
                    Item: platformItem(platform),
                    ConditionExpression: 'attribute_not_exists(courseId)',
                  },
                },
                {
                  Put: {
                    TableName: courses,
                    Item: platformClaimItem(platform),
                    ConditionExpression: 'attribute_not_exists(courseId)',
                  },
                },
              ],
            }),
          ),
        );
      } catch (err) {
        if (cancellationCodes(err)?.[1] === CCF) throw new DataConflictError('ltiPlatform');
        throw err;
      }
      return platform;
    },

    getPlatform,

    async findPlatform(issuer, clientId) {
      const claim = await getItem(courses, platformClaimKey(issuer, clientId), LTI_ENTITY.platformClaim);
      return claim ? getPlatform(claim.platformId as string) : null;
    },

    async listPlatformsByIssuer(issuer) {
      const claims = await wholePartition(issuerPartition(issuer), LTI_ENTITY.platformClaim);
      const platforms = await platformsByIds(claims.map((c) => c.platformId as string));
      // A claim and its platform change in one transaction; this read may straddle a move.
      return platforms.filter((p) => p.issuer === issuer).sort(byNameThenId);
    },

    /** One Query of the registrations' partition (a handful), sorted by name then id here. */
    async listPlatforms(page = {}) {
      const limit = clampLimit(page.limit);
      const after = decodeCursor(page.cursor, isPlatformCursor);
      const all = (await wholePartition(PLATFORMS_PARTITION, LTI_ENTITY.platform)).map(toPlatform).sort(byNameThenId);
      const rest = after ? all.filter((p) => p.name > after.n || (p.name === after.n && p.id > after.k)) : all;
      const items = rest.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor =
        rest.length > limit && last
          ? encodeCursor({ l: 'lti.platforms', n: last.name, k: last.id } satisfies PlatformCursor)
          : null;
      return { items, nextCursor };
    },

    async updatePlatform(id, patch) {
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const current = await getPlatform(id);
        if (!current) throw new DataNotFoundError('ltiPlatform', id);
        const updated = await updatePlatformOnce(current, patch);
        if (updated) return updated;
      }
      throw new Error(`ltiPlatform ${id} kept changing during its update`);
    },

    async deletePlatform(id) {
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const current = await getPlatform(id);
        if (!current) return;
        try {
          await retryOnConflict(() =>
            ctx.doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Delete: {
                      TableName: courses,
                      Key: platformKey(id),
                      ConditionExpression: '#issuer = :issuer AND #clientId = :clientId',
                      ExpressionAttributeNames: { '#issuer': 'issuer', '#clientId': 'clientId' },
                      ExpressionAttributeValues: { ':issuer': current.issuer, ':clientId': current.clientId },
                    },
                  },
                  deleteClaimOf(current),
                ],
              }),
            ),
          );
          return;
        } catch (err) {
          if (cancellationCodes(err)?.[0] !== CCF) throw err;
        }
      }
      throw new Error(`ltiPlatform ${id} kept changing during its deletion`);
    },

    async addKey(key) {
      try {
        await ctx.doc.send(
          new PutCommand({
            TableName: courses,
            Item: { ...toolKeyKey(key.kid), entity: LTI_ENTITY.key, ...key },
            ConditionExpression: 'attribute_not_exists(courseId)',
          }),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) throw new DataConflictError('ltiKey');
        throw err;
      }
      return { ...key };
    },

    async listKeys() {
      const keys = (await wholePartition(KEYS_PARTITION, LTI_ENTITY.key)).map(toToolKey);
      return keys.sort((a, b) =>
        a.createdAt === b.createdAt ? (a.kid < b.kid ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
      );
    },

    async setKeyRetiresAt(kid, retiresAt) {
      const { names, values } = entityIs(LTI_ENTITY.key);
      const item = await updateIf(ctx, {
        table: courses,
        key: toolKeyKey(kid),
        set: { retiresAt },
        condition: 'attribute_exists(courseId) AND #entity = :entity',
        names,
        values,
      });
      if (!item) throw new DataNotFoundError('ltiKey', kid);
      return toToolKey(item);
    },

    async deleteKey(kid) {
      await ctx.doc.send(new DeleteCommand({ TableName: courses, Key: toolKeyKey(kid) }));
    },
  };
}
