/**
 * LTI 1.3 on Postgres (docs/decisions/024-lti-advantage.md). Every rule that must hold under
 * concurrency is one statement: a launch state is consumed by DELETE ... RETURNING (of racing
 * launches exactly one gets the row), a nonce is used by INSERT ... ON CONFLICT DO NOTHING-style
 * upsert (of racing launches exactly one inserts), and a context's course binding is the
 * WHERE of its ON CONFLICT DO UPDATE. Uniqueness is the database's (unique index / primary key).
 *
 * Launch states and nonces nobody consumes any more (abandoned logins, expired nonces) are
 * purged a bounded batch at a time by the writes that add new ones, so the tables stay small
 * without a sweeper job. Reads are named prepared statements (ADR 016): the launch, the JWKS
 * and the grading page read these on every request.
 */
import { decodeCursor, encodeCursor } from '../cursor';
import { DataConflictError, DataNotFoundError } from '../errors';
import { newId } from '../ids';
import { clampLimit, systemClock, type Clock, type LtiRepository, type Page } from '../repository';
import { isPlatformCursor, membershipCursorFor } from '../lti-cursors';
import type { PrismaClient } from './client';
import { isRecordNotFound, isUniqueViolation, missingReferenceError, pick } from './mapping';
import {
  READS,
  type ContextRow,
  type LaunchStateRow,
  type MembershipRow,
  type PlatformRow,
  type ResourceLinkRow,
  type ScoreStatusRow,
  type ToolKeyRow,
  toContext,
  toKey,
  toLaunchState,
  toMembership,
  toPlatform,
  toResourceLink,
  toScoreStatus,
} from './lti-rows';
import type { Reader } from './statements';

/** At most this many expired rows go per purge: a write never pays for a large backlog at once. */
export const LTI_PURGE_BATCH = 100;

/** Turns `limit + 1` rows into a page; the extra row only says "there is more". */
function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  cursorOf: (last: Row) => unknown,
  map: (row: Row) => Item,
): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

const PLATFORM_FIELDS = ['name', 'issuer', 'clientId', 'deploymentIds', 'authUrl', 'tokenUrl', 'jwksUrl'] as const;

export function prismaLti(prisma: PrismaClient, reader: Reader, clock: Clock = systemClock): LtiRepository {
  const one = async <Row>(read: (typeof READS)[keyof typeof READS], values: unknown[]) =>
    (await reader.rows<Row>(read, values))[0] ?? null;

  /**
   * Deletes up to LTI_PURGE_BATCH launch states and nonces that expired. SKIP LOCKED: two
   * logins purging at once take different rows instead of waiting for each other.
   */
  async function purgeExpired(now: Date) {
    await prisma.$transaction([
      prisma.$executeRaw`DELETE FROM lti_launch_states WHERE state IN (
        SELECT state FROM lti_launch_states WHERE expires_at <= ${now}
        ORDER BY expires_at LIMIT ${LTI_PURGE_BATCH}::int FOR UPDATE SKIP LOCKED)`,
      prisma.$executeRaw`DELETE FROM lti_nonces WHERE (issuer, nonce) IN (
        SELECT issuer, nonce FROM lti_nonces WHERE expires_at <= ${now}
        ORDER BY expires_at LIMIT ${LTI_PURGE_BATCH}::int FOR UPDATE SKIP LOCKED)`,
    ]);
  }

  return {
    async createPlatform(input) {
      const now = clock();
      try {
        const row = await prisma.ltiPlatform.create({
          data: {
            id: newId(),
            name: input.name,
            issuer: input.issuer,
            clientId: input.clientId,
            deploymentIds: [...input.deploymentIds],
            authUrl: input.authUrl,
            tokenUrl: input.tokenUrl,
            jwksUrl: input.jwksUrl,
            createdAt: now,
            updatedAt: now,
          },
        });
        return toPlatform(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DataConflictError('ltiPlatform');
        throw error;
      }
    },

    async getPlatform(id) {
      const row = await one<PlatformRow>(READS.platformById, [id]);
      return row ? toPlatform(row) : null;
    },

    async findPlatform(issuer, clientId) {
      const row = await one<PlatformRow>(READS.platformByClient, [issuer, clientId]);
      return row ? toPlatform(row) : null;
    },

    async listPlatformsByIssuer(issuer) {
      return (await reader.rows<PlatformRow>(READS.platformsByIssuer, [issuer])).map(toPlatform);
    },

    async listPlatforms(page = {}) {
      const limit = clampLimit(page.limit);
      const after = decodeCursor(page.cursor, isPlatformCursor);
      const rows = after
        ? await reader.rows<PlatformRow>(READS.platformsAfter, [after.n, after.k, limit + 1])
        : await reader.rows<PlatformRow>(READS.platformsFirst, [limit + 1]);
      return pageOf(rows, limit, (last) => ({ l: 'lti.platforms', n: last.name, k: last.id }), toPlatform);
    },

    async updatePlatform(id, patch) {
      try {
        const row = await prisma.ltiPlatform.update({
          where: { id },
          data: { ...pick(patch, PLATFORM_FIELDS), updatedAt: clock() },
        });
        return toPlatform(row);
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('ltiPlatform', id);
        if (isUniqueViolation(error)) throw new DataConflictError('ltiPlatform');
        throw error;
      }
    },

    async deletePlatform(id) {
      await prisma.ltiPlatform.deleteMany({ where: { id } });
    },

    async addKey(key) {
      try {
        const row = await prisma.ltiToolKey.create({
          data: {
            kid: key.kid,
            publicJwk: key.publicJwk,
            sealedPrivateKey: key.sealedPrivateKey,
            signsFrom: new Date(key.signsFrom),
            retiresAt: key.retiresAt ? new Date(key.retiresAt) : null,
            createdAt: new Date(key.createdAt),
          },
        });
        return toKey(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DataConflictError('ltiKey');
        throw error;
      }
    },

    async listKeys() {
      return (await reader.rows<ToolKeyRow>(READS.keys, [])).map(toKey);
    },

    async setKeyRetiresAt(kid, retiresAt) {
      try {
        return toKey(await prisma.ltiToolKey.update({ where: { kid }, data: { retiresAt: new Date(retiresAt) } }));
      } catch (error) {
        if (isRecordNotFound(error)) throw new DataNotFoundError('ltiKey', kid);
        throw error;
      }
    },

    async deleteKey(kid) {
      await prisma.ltiToolKey.deleteMany({ where: { kid } });
    },

    async saveLaunchState(input) {
      const now = clock();
      await purgeExpired(now);
      try {
        const row = await prisma.ltiLaunchState.create({
          data: {
            state: input.state,
            nonce: input.nonce,
            platformId: input.platformId,
            targetLinkUri: input.targetLinkUri,
            loginHint: input.loginHint,
            expiresAt: new Date(input.expiresAt),
            createdAt: now,
          },
        });
        return toLaunchState(row);
      } catch (error) {
        // States are random (the service makes them); a clash means a caller reused one.
        if (isUniqueViolation(error)) throw new DataConflictError('ltiState');
        throw error;
      }
    },

    async consumeLaunchState(state) {
      // DELETE ... RETURNING: the row lock makes racing launches queue, and only the first
      // still finds the row. An expired state is deleted all the same (it is of no use).
      const [row] = await prisma.$queryRaw<LaunchStateRow[]>`
        DELETE FROM lti_launch_states WHERE state = ${state}
        RETURNING state, nonce, platform_id AS "platformId", target_link_uri AS "targetLinkUri",
          login_hint AS "loginHint", expires_at AS "expiresAt", created_at AS "createdAt"`;
      if (!row || row.expiresAt.getTime() <= clock().getTime()) return null;
      return toLaunchState(row);
    },

    async useNonce(issuer, nonce, expiresAt) {
      const now = clock();
      await purgeExpired(now);
      // First use inserts. A row that is still live makes the conflict's WHERE false, so
      // nothing is returned (a replay); an expired row not purged yet counts as gone.
      const rows = await prisma.$queryRaw<{ issuer: string }[]>`
        INSERT INTO lti_nonces AS used (issuer, nonce, expires_at)
        VALUES (${issuer}, ${nonce}, ${new Date(expiresAt)})
        ON CONFLICT (issuer, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
          WHERE used.expires_at <= ${now}
        RETURNING issuer`;
      return rows.length > 0;
    },

    async findUserLink(issuer, subject) {
      return (await one<{ userId: string }>(READS.userLink, [issuer, subject]))?.userId ?? null;
    },

    async linkUser(issuer, subject, userId) {
      try {
        const inserted = await prisma.$queryRaw<{ userId: string }[]>`
          INSERT INTO lti_user_links (issuer, subject, user_id, created_at)
          VALUES (${issuer}, ${subject}, ${userId}, ${clock()})
          ON CONFLICT (issuer, subject) DO NOTHING
          RETURNING user_id AS "userId"`;
        if (inserted.length > 0) return;
      } catch (error) {
        throw missingReferenceError(error, { lti_user_links_user_id_fkey: ['user', userId] }) ?? error;
      }
      // Linking the same user again is a retry of the same launch, not a clash.
      const holder = await prisma.ltiUserLink.findUnique({ where: { issuer_subject: { issuer, subject } } });
      if (holder?.userId !== userId) throw new DataConflictError('ltiUser');
    },

    async findUserSubject(issuer, userId) {
      return (await one<{ subject: string }>(READS.userSubject, [userId, issuer]))?.subject ?? null;
    },

    async findContext(issuer, contextId) {
      const row = await one<ContextRow>(READS.context, [issuer, contextId]);
      return row ? toContext(row) : null;
    },

    async findContextByCourse(courseId) {
      // A course normally stands for one context; if several were bound, the first one counts.
      const row = await one<ContextRow>(READS.contextByCourse, [courseId]);
      return row ? toContext(row) : null;
    },

    async saveContext(input) {
      const now = clock();
      // The course binding is the upsert's WHERE: no row back means the context is bound to
      // another course, decided by the row lock ON CONFLICT takes (exact under races).
      const [row] = await prisma.$queryRaw<ContextRow[]>`
        INSERT INTO lti_contexts AS saved (issuer, context_id, platform_id, deployment_id, course_id, title,
          memberships_url, line_items_url, created_at, updated_at)
        VALUES (${input.issuer}, ${input.contextId}, ${input.platformId}, ${input.deploymentId}, ${input.courseId},
          ${input.title}, ${input.membershipsUrl}, ${input.lineItemsUrl}, ${now}, ${now})
        ON CONFLICT (issuer, context_id) DO UPDATE SET
          platform_id = EXCLUDED.platform_id, deployment_id = EXCLUDED.deployment_id, title = EXCLUDED.title,
          memberships_url = EXCLUDED.memberships_url, line_items_url = EXCLUDED.line_items_url,
          updated_at = EXCLUDED.updated_at
          WHERE saved.course_id = EXCLUDED.course_id
        RETURNING issuer, context_id AS "contextId", platform_id AS "platformId", deployment_id AS "deploymentId",
          course_id AS "courseId", title, memberships_url AS "membershipsUrl", line_items_url AS "lineItemsUrl",
          created_at AS "createdAt", updated_at AS "updatedAt"`;
      if (!row) throw new DataConflictError('ltiContext');
      return toContext(row);
    },

    async findResourceLink(issuer, resourceLinkId) {
      const row = await one<ResourceLinkRow>(READS.link, [issuer, resourceLinkId]);
      return row ? toResourceLink(row) : null;
    },

    async saveResourceLink(input) {
      const now = clock();
      const { issuer, resourceLinkId } = input;
      const fields = {
        platformId: input.platformId,
        courseId: input.courseId,
        assignmentId: input.assignmentId,
        lineItemUrl: input.lineItemUrl,
        scopes: [...input.scopes],
        updatedAt: now,
      };
      const row = await prisma.ltiResourceLink.upsert({
        where: { issuer_resourceLinkId: { issuer, resourceLinkId } },
        create: { issuer, resourceLinkId, ...fields, createdAt: now },
        update: fields,
      });
      return toResourceLink(row);
    },

    async listResourceLinksByAssignment(assignmentId) {
      return (await reader.rows<ResourceLinkRow>(READS.linksByAssignment, [assignmentId])).map(toResourceLink);
    },

    async saveMembership(input) {
      const now = clock();
      const { courseId, userId } = input;
      const row = await prisma.ltiMembership.upsert({
        where: { courseId_userId: { courseId, userId } },
        create: { courseId, userId, roles: [...input.roles], active: input.active, updatedAt: now },
        update: { roles: [...input.roles], active: input.active, updatedAt: now },
      });
      return toMembership(row);
    },

    async listMemberships(courseId, page = {}) {
      const limit = clampLimit(page.limit);
      const after = decodeCursor(page.cursor, membershipCursorFor(courseId));
      const rows = after
        ? await reader.rows<MembershipRow>(READS.membershipsAfter, [courseId, after.k, limit + 1])
        : await reader.rows<MembershipRow>(READS.membershipsFirst, [courseId, limit + 1]);
      return pageOf(rows, limit, (last) => ({ l: 'lti.memberships', s: courseId, k: last.userId }), toMembership);
    },

    async saveScoreStatus(status) {
      const now = clock();
      const data = {
        state: status.state,
        scoreGiven: status.scoreGiven,
        attempts: status.attempts,
        lastError: status.lastError,
        sentAt: status.sentAt ? new Date(status.sentAt) : null,
        updatedAt: now,
      };
      const row = await prisma.ltiScoreStatus.upsert({
        where: { submissionId: status.submissionId },
        create: { submissionId: status.submissionId, ...data },
        update: data,
      });
      return toScoreStatus(row);
    },

    async getScoreStatus(submissionId) {
      const row = await one<ScoreStatusRow>(READS.score, [submissionId]);
      return row ? toScoreStatus(row) : null;
    },

    async getScoreStatuses(submissionIds) {
      if (submissionIds.length === 0) return [];
      return (await reader.rows<ScoreStatusRow>(READS.scores, [[...new Set(submissionIds)]])).map(toScoreStatus);
    },
  };
}
