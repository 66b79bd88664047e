/**
 * Everything the fake LMS knows, in memory: its users and courses, the line items and links,
 * what it received (scores, deep-linking answers, token requests), and the tokens it issued.
 * The launch and service handlers share one of these per running platform.
 */
import type { IncomingMessage } from 'node:http';
import type { JWTVerifyGetKey } from 'jose';
import { ROLE } from '../../app/auth/lti/roles';
import { HttpError } from './http';
import type {
  DeepLinkResponseRecord,
  FakeLineItem,
  FakeLmsUser,
  FakePlatformOptions,
  FakeResourceLink,
  MemberStatus,
  ReceivedScore,
  TokenRequestRecord,
} from './types';

export const DEFAULT_CONTEXT = { id: 'course-1', title: 'Biology 101', label: 'BIO101' };

export interface PlatformConfig {
  url: string;
  issuer: string;
  port: number;
  clientId: string;
  deploymentId: string;
  toolUrl: string;
  redirectUris: string[];
  targetLinkUris: FakePlatformOptions['targetLinkUris'];
  platformStorage: boolean;
  pageSize: number;
  tokenTtl: number;
  now: () => Date;
  /** The platform's signing key. */
  kid: string;
  privateKey: CryptoKey;
  /** The tool's published keys (client assertions, deep-linking responses). */
  toolKeys: JWTVerifyGetKey;
}

export type PlatformState = ReturnType<typeof createState>;

export function defaultUsers(): Record<string, FakeLmsUser> {
  const user = (key: string, givenName: string, familyName: string, roles: string[]): FakeLmsUser => ({
    key,
    sub: `lms-${key}`,
    name: `${givenName} ${familyName}`,
    givenName,
    familyName,
    email: `${key}@lms.example`,
    roles,
  });
  return {
    instructor: user('instructor', 'Ida', 'Instructor', [ROLE.instructor]),
    ta: user('ta', 'Theo', 'Assistant', [ROLE.teachingAssistant, ROLE.instructor]),
    student: user('student', 'Sam', 'Student', [ROLE.learner]),
    student2: user('student2', 'Stella', 'Second', [ROLE.learner]),
    admin: user('admin', 'Ada', 'Admin', [ROLE.institutionAdministrator]),
  };
}

export function createState(config: PlatformConfig) {
  const { url } = config;
  const users = defaultUsers();
  const contexts = new Map<string, { id: string; title: string; label: string }>([
    [DEFAULT_CONTEXT.id, DEFAULT_CONTEXT],
  ]);
  /** contextId → sub → status; every default user but the admin is in every course. */
  const memberships = new Map<string, Map<string, MemberStatus>>();
  const lineItems = new Map<string, FakeLineItem>();
  const resourceLinks = new Map<string, FakeResourceLink>();
  const scores: ReceivedScore[] = [];
  const deepLinkResponses: DeepLinkResponseRecord[] = [];
  const tokenRequests: TokenRequestRecord[] = [];
  const tokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  /** The `data` of each deep-linking request in flight → where its answer belongs. */
  const deepLinkRequests = new Map<string, { contextId: string; user: string }>();
  const usedAssertionIds = new Set<string>();
  const usedResponseNonces = new Set<string>();
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}-${++counter}`;

  function contextOf(id: string) {
    let context = contexts.get(id);
    if (!context) {
      context = { id, title: `Course ${id}`, label: id.toUpperCase() };
      contexts.set(id, context);
    }
    return context;
  }

  function membersOf(contextId: string): Map<string, MemberStatus> {
    let members = memberships.get(contextId);
    if (!members) {
      members = new Map(
        Object.values(users)
          .filter((u) => u.key !== 'admin')
          .map((u) => [u.sub, 'Active' as MemberStatus]),
      );
      memberships.set(contextId, members);
    }
    return members;
  }

  function userByKey(key: string): FakeLmsUser {
    const user = users[key];
    if (!user) throw new Error(`fake LMS: no user "${key}"`);
    return user;
  }

  function lineItemUrl(item: Pick<FakeLineItem, 'contextId' | 'id'>) {
    return `${url}/contexts/${encodeURIComponent(item.contextId)}/lineitems/${encodeURIComponent(item.id)}`;
  }

  function addLineItem(input: Omit<FakeLineItem, 'id' | 'url'>): FakeLineItem {
    const id = nextId('li');
    const item: FakeLineItem = { ...input, id, url: lineItemUrl({ contextId: input.contextId, id }) };
    lineItems.set(id, item);
    return item;
  }

  /** The bearer token's scopes must include one of `anyOf` (AGS 2.0 §3.2, NRPS 2.0 §2.1). */
  function bearer(req: IncomingMessage, anyOf: string[]) {
    const value = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = value ? tokens.get(value) : undefined;
    if (!grant || grant.expiresAt <= config.now().getTime()) {
      throw new HttpError(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    if (!anyOf.some((s) => grant.scopes.includes(s))) throw new HttpError(403, { error: 'insufficient_scope' });
  }

  function lineItemIn(contextId: string, id: string): FakeLineItem {
    const item = lineItems.get(id);
    if (!item || item.contextId !== contextId) throw new HttpError(404, { error: 'not_found' });
    return item;
  }

  return {
    config,
    users,
    contexts,
    memberships,
    lineItems,
    resourceLinks,
    scores,
    deepLinkResponses,
    tokenRequests,
    tokens,
    deepLinkRequests,
    usedAssertionIds,
    usedResponseNonces,
    /** The next n score posts answer 503. */
    scoreOutage: 0,
    /** Changes the /auth endpoint makes to the next id_token only. */
    nextLaunch: null as { claims: Record<string, unknown>; expiresInSeconds?: number } | null,
    nextId,
    contextOf,
    membersOf,
    userByKey,
    lineItemUrl,
    addLineItem,
    bearer,
    lineItemIn,
  };
}
