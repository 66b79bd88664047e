/**
 * LTI 1.3 on DynamoDB, inside the ten tables (key shapes: lti-items.ts, docs/dynamodb.md).
 * What must hold under concurrency is one conditional write: a launch state is consumed by a
 * DeleteItem that returns the old item (of racing launches only one gets it), a nonce by a Put
 * that fails when a live one exists, (issuer, client id) and (issuer, sub) by claim items put
 * with attribute_not_exists in the transaction of the row they guard. Expired launch states
 * and nonces are removed by the users table's TTL (`expiresAtEpoch`); TTL is lazy, so every
 * read checks the expiry itself.
 */
import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ltiRegistrations } from './lti-platforms';
import { decodeCursor, encodeCursor } from '../cursor';
import { DataConflictError, DataNotFoundError } from '../errors';
import { membershipCursorFor, type MembershipCursor } from '../lti-cursors';
import { clampLimit, type LtiRepository, type LtiResourceLink, type Page } from '../repository';
import {
  batchGet,
  cancellationCodes,
  entityExists,
  isConditionalCheckFailed,
  isPlausibleId,
  retryOnConflict,
  updateIf,
  type DynamoContext,
  type Item,
} from './client';
import { ENTITY, userKey } from './keys';
import {
  LTI_ENTITY,
  MEMBERSHIP_SK_PREFIX,
  contextKey,
  contextPointerKey,
  CCF,
  MAX_TRIES,
  entityIs,
  epochSeconds,
  launchStateKey,
  membershipKey,
  nonceKey,
  readLtiItem,
  resourceLinkKey,
  resourceLinkSort,
  scoreStatusKey,
  toContext,
  toLaunchState,
  toMembership,
  toResourceLink,
  toScoreStatus,
  userLinkKey,
  userSubjectKey,
} from './lti-items';
import { INDEXES } from './tables';

export function createLtiRepository(ctx: DynamoContext): LtiRepository {
  const { courses, users, assignments, submissions } = ctx.tables;
  const now = () => ctx.now().toISOString();
  const getItem = (table: string, key: Item, entity: string) => readLtiItem(ctx, table, key, entity);

  return {
    ...ltiRegistrations(ctx),
    async saveLaunchState(input) {
      const state = { ...input, createdAt: now() };
      try {
        await ctx.doc.send(
          new PutCommand({
            TableName: users,
            Item: {
              ...launchStateKey(input.state),
              entity: LTI_ENTITY.launchState,
              ...state,
              expiresAtEpoch: epochSeconds(input.expiresAt),
            },
            ConditionExpression: 'attribute_not_exists(userId)',
          }),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) throw new DataConflictError('ltiState');
        throw err;
      }
      return state;
    },

    async consumeLaunchState(state) {
      const { names, values } = entityIs(LTI_ENTITY.launchState);
      try {
        // The delete itself decides: of racing launches, one deletes the item (and gets it
        // back), the others find it gone. An expired state is deleted all the same.
        const out = await ctx.doc.send(
          new DeleteCommand({
            TableName: users,
            Key: launchStateKey(state),
            ConditionExpression: 'attribute_exists(userId) AND #entity = :entity',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_OLD',
          }),
        );
        const item = out.Attributes as Item | undefined;
        if (!item || Date.parse(item.expiresAt as string) <= ctx.now().getTime()) return null;
        return toLaunchState(item);
      } catch (err) {
        if (isConditionalCheckFailed(err)) return null;
        throw err;
      }
    },

    async useNonce(issuer, nonce, expiresAt) {
      const at = now();
      try {
        // A live nonce makes the condition fail (a replay); one past its expiry that TTL has
        // not removed yet counts as gone.
        await ctx.doc.send(
          new PutCommand({
            TableName: users,
            Item: {
              ...nonceKey(issuer, nonce),
              entity: LTI_ENTITY.nonce,
              issuer,
              nonce,
              expiresAt: new Date(expiresAt).toISOString(),
              createdAt: at,
              expiresAtEpoch: epochSeconds(expiresAt),
            },
            ConditionExpression: 'attribute_not_exists(userId) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': at },
          }),
        );
        return true;
      } catch (err) {
        if (isConditionalCheckFailed(err)) return false;
        throw err;
      }
    },

    async findUserLink(issuer, subject) {
      const item = await getItem(users, userLinkKey(issuer, subject), LTI_ENTITY.userLink);
      return item ? (item.linkedUserId as string) : null;
    },

    async findUserSubject(issuer, userId) {
      if (!isPlausibleId(userId)) return null;
      const item = await getItem(users, userSubjectKey(userId, issuer), LTI_ENTITY.userSubject);
      return item ? (item.subject as string) : null;
    },

    async linkUser(issuer, subject, userId) {
      if (!isPlausibleId(userId)) throw new DataNotFoundError('user', userId);
      const at = now();
      try {
        // The link claims (issuer, sub); the reverse item is overwritten (the latest link on
        // the issuer wins), and both are written only if the user exists.
        await retryOnConflict(() =>
          ctx.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                entityExists(users, userKey(userId), ENTITY.user),
                {
                  Put: {
                    TableName: users,
                    Item: {
                      ...userLinkKey(issuer, subject),
                      entity: LTI_ENTITY.userLink,
                      issuer,
                      subject,
                      linkedUserId: userId,
                      createdAt: at,
                    },
                    ConditionExpression: 'attribute_not_exists(userId)',
                  },
                },
                {
                  Put: {
                    TableName: users,
                    Item: {
                      ...userSubjectKey(userId, issuer),
                      entity: LTI_ENTITY.userSubject,
                      issuer,
                      subject,
                      linkedUserId: userId,
                      createdAt: at,
                    },
                  },
                },
              ],
            }),
          ),
        );
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[0] === CCF) throw new DataNotFoundError('user', userId);
        if (codes?.[1] !== CCF) throw err;
        // Linked already: the same user again is a retry of the same launch, not a clash.
        const holder = await getItem(users, userLinkKey(issuer, subject), LTI_ENTITY.userLink);
        if (holder?.linkedUserId !== userId) throw new DataConflictError('ltiUser');
      }
    },

    async findContext(issuer, contextId) {
      const item = await getItem(courses, contextKey(issuer, contextId), LTI_ENTITY.context);
      return item ? toContext(item) : null;
    },

    async findContextByCourse(courseId) {
      if (!isPlausibleId(courseId)) return null;
      const pointer = await getItem(courses, contextPointerKey(courseId), LTI_ENTITY.contextPointer);
      if (!pointer) return null;
      const item = await getItem(
        courses,
        contextKey(pointer.issuer as string, pointer.contextId as string),
        LTI_ENTITY.context,
      );
      return item ? toContext(item) : null;
    },

    async saveContext(input) {
      if (!isPlausibleId(input.courseId)) throw new DataNotFoundError('course', input.courseId);
      const fields = {
        platformId: input.platformId,
        deploymentId: input.deploymentId,
        title: input.title,
        membershipsUrl: input.membershipsUrl,
        lineItemsUrl: input.lineItemsUrl,
      };
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const at = now();
        // An existing context: its course is the update's condition, so it never moves.
        const updated = await updateIf(ctx, {
          table: courses,
          key: contextKey(input.issuer, input.contextId),
          set: { ...fields, updatedAt: at },
          condition: '#entity = :entity AND #course = :course',
          names: { '#entity': 'entity', '#course': 'contextCourseId' },
          values: { ':entity': LTI_ENTITY.context, ':course': input.courseId },
        });
        if (updated) return toContext(updated);
        if (await getItem(courses, contextKey(input.issuer, input.contextId), LTI_ENTITY.context)) {
          throw new DataConflictError('ltiContext');
        }
        const item = {
          ...contextKey(input.issuer, input.contextId),
          entity: LTI_ENTITY.context,
          issuer: input.issuer,
          contextId: input.contextId,
          contextCourseId: input.courseId,
          ...fields,
          createdAt: at,
          updatedAt: at,
        };
        try {
          await retryOnConflict(() =>
            ctx.doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Put: { TableName: courses, Item: item, ConditionExpression: 'attribute_not_exists(courseId)' } },
                  {
                    // The course's pointer keeps the FIRST context bound to it (if_not_exists),
                    // without failing the binding of a second one.
                    Update: {
                      TableName: courses,
                      Key: contextPointerKey(input.courseId),
                      UpdateExpression:
                        'SET #entity = :pointer, #issuer = if_not_exists(#issuer, :issuer), ' +
                        '#contextId = if_not_exists(#contextId, :contextId), #createdAt = if_not_exists(#createdAt, :at)',
                      ExpressionAttributeNames: {
                        '#entity': 'entity',
                        '#issuer': 'issuer',
                        '#contextId': 'contextId',
                        '#createdAt': 'createdAt',
                      },
                      ExpressionAttributeValues: {
                        ':pointer': LTI_ENTITY.contextPointer,
                        ':issuer': input.issuer,
                        ':contextId': input.contextId,
                        ':at': at,
                      },
                    },
                  },
                ],
              }),
            ),
          );
          return toContext(item);
        } catch (err) {
          // Created meanwhile by a racing launch: update it (or refuse) on the next round.
          if (cancellationCodes(err)?.[0] !== CCF) throw err;
        }
      }
      throw new Error(`ltiContext ${input.issuer} ${input.contextId} kept changing while saved`);
    },

    async findResourceLink(issuer, resourceLinkId) {
      const item = await getItem(assignments, resourceLinkKey(issuer, resourceLinkId), LTI_ENTITY.resourceLink);
      return item ? toResourceLink(item) : null;
    },

    async saveResourceLink(input) {
      const at = now();
      const { issuer, resourceLinkId } = input;
      // One UpdateItem creates or updates: createdAt and the index's sort value are set once.
      const out = await retryOnConflict(() =>
        ctx.doc.send(
          new UpdateCommand({
            TableName: assignments,
            Key: resourceLinkKey(issuer, resourceLinkId),
            UpdateExpression:
              'SET #entity = :entity, #issuer = :issuer, #resourceLinkId = :resourceLinkId, ' +
              '#platformId = :platformId, #course = :course, #lineItemUrl = :lineItemUrl, #scopes = :scopes, ' +
              '#updatedAt = :at, #createdAt = if_not_exists(#createdAt, :at), #sort = if_not_exists(#sort, :sort)' +
              (input.assignmentId === null ? ' REMOVE #assignment' : ', #assignment = :assignment'),
            ConditionExpression: 'attribute_not_exists(assignmentId) OR #entity = :entity',
            ExpressionAttributeNames: {
              '#entity': 'entity',
              '#issuer': 'issuer',
              '#resourceLinkId': 'resourceLinkId',
              '#platformId': 'platformId',
              '#course': 'linkCourseId',
              '#lineItemUrl': 'lineItemUrl',
              '#scopes': 'scopes',
              '#updatedAt': 'updatedAt',
              '#createdAt': 'createdAt',
              '#sort': 'ltiLinkSort',
              '#assignment': 'ltiAssignmentId',
            },
            ExpressionAttributeValues: {
              ':entity': LTI_ENTITY.resourceLink,
              ':issuer': issuer,
              ':resourceLinkId': resourceLinkId,
              ':platformId': input.platformId,
              ':course': input.courseId,
              ':lineItemUrl': input.lineItemUrl,
              ':scopes': [...input.scopes],
              ':at': at,
              ':sort': resourceLinkSort(at, issuer, resourceLinkId),
              ...(input.assignmentId === null ? {} : { ':assignment': input.assignmentId }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toResourceLink(out.Attributes as Item);
    },

    /** The sparse index holds only links that open an assignment, oldest first. */
    async listResourceLinksByAssignment(assignmentId) {
      const links: LtiResourceLink[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await ctx.doc.send(
          new QueryCommand({
            TableName: assignments,
            IndexName: INDEXES.ltiLinksByAssignment,
            KeyConditionExpression: '#a = :a',
            ExpressionAttributeNames: { '#a': 'ltiAssignmentId' },
            ExpressionAttributeValues: { ':a': assignmentId },
            ExclusiveStartKey: start,
          }),
        );
        links.push(
          ...((out.Items ?? []) as Item[]).filter((i) => i.entity === LTI_ENTITY.resourceLink).map(toResourceLink),
        );
        start = out.LastEvaluatedKey;
      } while (start);
      return links;
    },

    async saveMembership(input) {
      const { courseId, userId } = input;
      if (!isPlausibleId(courseId)) throw new DataNotFoundError('course', courseId);
      if (!isPlausibleId(userId)) throw new DataNotFoundError('user', userId);
      const membership = { courseId, userId, roles: [...input.roles], active: input.active, updatedAt: now() };
      await ctx.doc.send(
        new PutCommand({
          TableName: courses,
          // `memberUserId`, not `userId`: the courses GSI on userId is the enrolments' own.
          Item: {
            ...membershipKey(courseId, userId),
            entity: LTI_ENTITY.membership,
            memberUserId: userId,
            roles: membership.roles,
            active: membership.active,
            updatedAt: membership.updatedAt,
          },
        }),
      );
      return membership;
    },

    /** A Query of the course partition's `LTIMEMBER#` range: user id order, limit + 1 read. */
    async listMemberships(courseId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = decodeCursor(page.cursor, membershipCursorFor(courseId, isPlausibleId));
      if (!isPlausibleId(courseId)) return { items: [], nextCursor: null };
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: courses,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': 'courseId', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': courseId, ':prefix': MEMBERSHIP_SK_PREFIX },
          ConsistentRead: true,
          Limit: limit + 1,
          ExclusiveStartKey: after ? membershipKey(courseId, after.k) : undefined,
        }),
      );
      const items = ((out.Items ?? []) as Item[]).filter((i) => i.entity === LTI_ENTITY.membership);
      const pageItems = items.slice(0, limit).map(toMembership);
      const last = pageItems[pageItems.length - 1];
      // More follow if the extra item came back, or if DynamoDB stopped early (1 MB read).
      const hasMore = items.length > limit || out.LastEvaluatedKey !== undefined;
      const nextCursor =
        hasMore && last
          ? encodeCursor({ l: 'lti.memberships', s: courseId, k: last.userId } satisfies MembershipCursor)
          : null;
      return { items: pageItems, nextCursor } satisfies Page<(typeof pageItems)[number]>;
    },

    async saveScoreStatus(status) {
      if (!isPlausibleId(status.submissionId)) throw new DataNotFoundError('submission', status.submissionId);
      const saved = { ...status, updatedAt: now() };
      const { submissionId, ...rest } = saved;
      await ctx.doc.send(
        new PutCommand({
          TableName: submissions,
          Item: {
            ...scoreStatusKey(submissionId),
            entity: LTI_ENTITY.scoreStatus,
            scoreSubmissionId: submissionId,
            ...rest,
          },
        }),
      );
      return saved;
    },

    async getScoreStatus(submissionId) {
      if (!isPlausibleId(submissionId)) return null;
      const item = await getItem(submissions, scoreStatusKey(submissionId), LTI_ENTITY.scoreStatus);
      return item ? toScoreStatus(item) : null;
    },

    async getScoreStatuses(submissionIds) {
      const ids = [...new Set(submissionIds)].filter(isPlausibleId);
      if (ids.length === 0) return [];
      const items = await batchGet(ctx, submissions, ids.map(scoreStatusKey));
      return items.filter((i) => i.entity === LTI_ENTITY.scoreStatus).map(toScoreStatus);
    },
  };
}
