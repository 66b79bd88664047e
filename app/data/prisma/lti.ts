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
import {
  clampLimit,
  systemClock,
  type Clock,
  type LtiContext,
  type LtiLaunchState,
  type LtiMembership,
  type LtiPlatform,
  type LtiRepository,
  type LtiResourceLink,
  type LtiScoreState,
  type LtiScoreStatus,
  type LtiToolKey,
  type Page,
} from '../repository';
import type {
  LtiContext as ContextRow,
  LtiLaunchState as LaunchStateRow,
  LtiMembership as MembershipRow,
  LtiPlatform as PlatformRow,
  LtiResourceLink as ResourceLinkRow,
  LtiScoreStatus as ScoreStatusRow,
  LtiToolKey as ToolKeyRow,
} from '../../../generated/prisma/client';
import type { PrismaClient } from './client';
import { isRecordNotFound, isUniqueViolation, missingReferenceError, pick } from './mapping';
import { statement, type Reader } from './statements';

const PLATFORM = `id, name, issuer, client_id AS "clientId", deployment_ids AS "deploymentIds", auth_url AS "authUrl",
  token_url AS "tokenUrl", jwks_url AS "jwksUrl", created_at AS "createdAt", updated_at AS "updatedAt"`;
const KEY = `kid, public_jwk AS "publicJwk", sealed_private_key AS "sealedPrivateKey", signs_from AS "signsFrom",
  retires_at AS "retiresAt", created_at AS "createdAt"`;
const CONTEXT = `issuer, context_id AS "contextId", platform_id AS "platformId", deployment_id AS "deploymentId",
  course_id AS "courseId", title, memberships_url AS "membershipsUrl", line_items_url AS "lineItemsUrl",
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const LINK = `issuer, resource_link_id AS "resourceLinkId", platform_id AS "platformId", course_id AS "courseId",
  assignment_id AS "assignmentId", line_item_url AS "lineItemUrl", scopes, created_at AS "createdAt",
  updated_at AS "updatedAt"`;
const MEMBERSHIP = `course_id AS "courseId", user_id AS "userId", roles, active, updated_at AS "updatedAt"`;
const SCORE = `submission_id AS "submissionId", state, score_given AS "scoreGiven", attempts, last_error AS "lastError",
  sent_at AS "sentAt", updated_at AS "updatedAt"`;

const READS = {
  platformById: statement('lti.platformById', `SELECT ${PLATFORM} FROM lti_platforms WHERE id = $1`),
  platformByClient: statement(
    'lti.platformByClient',
    `SELECT ${PLATFORM} FROM lti_platforms WHERE issuer = $1 AND client_id = $2`,
  ),
  platformsByIssuer: statement(
    'lti.platformsByIssuer',
    `SELECT ${PLATFORM} FROM lti_platforms WHERE issuer = $1 ORDER BY name, id`,
  ),
  platformsFirst: statement('lti.platformsFirst', `SELECT ${PLATFORM} FROM lti_platforms ORDER BY name, id LIMIT $1`),
  platformsAfter: statement(
    'lti.platformsAfter',
    `SELECT ${PLATFORM} FROM lti_platforms WHERE (name, id) > ($1, $2) ORDER BY name, id LIMIT $3`,
  ),
  keys: statement('lti.keys', `SELECT ${KEY} FROM lti_tool_keys ORDER BY created_at, kid`),
  userLink: statement(
    'lti.userLink',
    `SELECT user_id AS "userId" FROM lti_user_links WHERE issuer = $1 AND subject = $2`,
  ),
  userSubject: statement(
    'lti.userSubject',
    `SELECT subject FROM lti_user_links WHERE user_id = $1 AND issuer = $2
     ORDER BY created_at DESC, subject DESC LIMIT 1`,
  ),
  context: statement('lti.context', `SELECT ${CONTEXT} FROM lti_contexts WHERE issuer = $1 AND context_id = $2`),
  contextByCourse: statement(
    'lti.contextByCourse',
    `SELECT ${CONTEXT} FROM lti_contexts WHERE course_id = $1 ORDER BY created_at, issuer, context_id LIMIT 1`,
  ),
  link: statement('lti.link', `SELECT ${LINK} FROM lti_resource_links WHERE issuer = $1 AND resource_link_id = $2`),
  linksByAssignment: statement(
    'lti.linksByAssignment',
    `SELECT ${LINK} FROM lti_resource_links WHERE assignment_id = $1 ORDER BY created_at, issuer, resource_link_id`,
  ),
  membershipsFirst: statement(
    'lti.membershipsFirst',
    `SELECT ${MEMBERSHIP} FROM lti_memberships WHERE course_id = $1 ORDER BY user_id LIMIT $2`,
  ),
  membershipsAfter: statement(
    'lti.membershipsAfter',
    `SELECT ${MEMBERSHIP} FROM lti_memberships WHERE course_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`,
  ),
  score: statement('lti.score', `SELECT ${SCORE} FROM lti_score_statuses WHERE submission_id = $1`),
  scores: statement('lti.scores', `SELECT ${SCORE} FROM lti_score_statuses WHERE submission_id = ANY($1::text[])`),
};

/** At most this many expired rows go per purge: a write never pays for a large backlog at once. */
export const LTI_PURGE_BATCH = 100;

const iso = (date: Date): string => date.toISOString();
const isoOrNull = (date: Date | null): string | null => (date ? iso(date) : null);

function toPlatform(row: PlatformRow): LtiPlatform {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    clientId: row.clientId,
    deploymentIds: row.deploymentIds,
    authUrl: row.authUrl,
    tokenUrl: row.tokenUrl,
    jwksUrl: row.jwksUrl,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function toKey(row: ToolKeyRow): LtiToolKey {
  return {
    kid: row.kid,
    publicJwk: row.publicJwk,
    sealedPrivateKey: row.sealedPrivateKey,
    signsFrom: iso(row.signsFrom),
    retiresAt: isoOrNull(row.retiresAt),
    createdAt: iso(row.createdAt),
  };
}

function toLaunchState(row: LaunchStateRow): LtiLaunchState {
  return {
    state: row.state,
    nonce: row.nonce,
    platformId: row.platformId,
    targetLinkUri: row.targetLinkUri,
    loginHint: row.loginHint,
    expiresAt: iso(row.expiresAt),
    createdAt: iso(row.createdAt),
  };
}

function toContext(row: ContextRow): LtiContext {
  return {
    issuer: row.issuer,
    contextId: row.contextId,
    platformId: row.platformId,
    deploymentId: row.deploymentId,
    courseId: row.courseId,
    title: row.title,
    membershipsUrl: row.membershipsUrl,
    lineItemsUrl: row.lineItemsUrl,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function toResourceLink(row: ResourceLinkRow): LtiResourceLink {
  return {
    issuer: row.issuer,
    resourceLinkId: row.resourceLinkId,
    platformId: row.platformId,
    courseId: row.courseId,
    assignmentId: row.assignmentId,
    lineItemUrl: row.lineItemUrl,
    scopes: row.scopes,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function toMembership(row: MembershipRow): LtiMembership {
  return {
    courseId: row.courseId,
    userId: row.userId,
    roles: row.roles,
    active: row.active,
    updatedAt: iso(row.updatedAt),
  };
}

function toScoreStatus(row: ScoreStatusRow): LtiScoreStatus {
  return {
    submissionId: row.submissionId,
    state: row.state as LtiScoreState,
    scoreGiven: row.scoreGiven,
    attempts: row.attempts,
    lastError: row.lastError,
    sentAt: isoOrNull(row.sentAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** Cursors name their list and scope, so one from another list (or course) is rejected. */
interface PlatformCursor extends Record<string, unknown> {
  l: 'lti.platforms';
  n: string;
  k: string;
}
interface MembershipCursor extends Record<string, unknown> {
  l: 'lti.memberships';
  s: string;
  k: string;
}

const isPlatformCursor = (v: unknown): v is PlatformCursor => {
  const c = v as Partial<PlatformCursor> | null;
  return (
    typeof c === 'object' && c !== null && c.l === 'lti.platforms' && typeof c.n === 'string' && typeof c.k === 'string'
  );
};

const membershipCursorFor =
  (courseId: string) =>
  (v: unknown): v is MembershipCursor => {
    const c = v as Partial<MembershipCursor> | null;
    return (
      typeof c === 'object' && c !== null && c.l === 'lti.memberships' && c.s === courseId && typeof c.k === 'string'
    );
  };

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
