/**
 * A fake LMS that plays an LTI 1.3 platform for tests and laptops (there is no npm package
 * that does; docs/decisions/024-lti-advantage.md). Its own RSA key and JWKS, the OIDC
 * authorization endpoint that posts id_tokens, the client-credentials token endpoint (it checks
 * the tool's client assertion against the tool's JWKS), AGS line items and scores, NRPS
 * memberships, the deep-linking return, and a "course page" that iframes the tool:
 *
 *   /.well-known/jwks.json   /auth   /token   /deep-link-return   /course/:contextId
 *   /contexts/:ctx/lineitems[/:id[/scores]]   /contexts/:ctx/memberships
 *
 * Everything it received is kept in memory for assertions (scores(), deepLinkResponses(), …).
 * Written from the 1EdTech specs; it is strict where a real platform is (scopes, media
 * types, audiences), so a test passing against it means something.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  calculateJwkThumbprint,
  type JWK,
  type JWTPayload,
} from 'jose';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE } from '../../app/auth/lti/claims';
import { ROLE } from '../../app/auth/lti/roles';
import {
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
  MEDIA_TYPE_LINEITEM,
  MEDIA_TYPE_LINEITEM_CONTAINER,
  MEDIA_TYPE_MEMBERSHIPS,
  MEDIA_TYPE_SCORE,
  NRPS_SCOPE_MEMBERSHIPS,
} from '../../app/auth/lti/scopes';
import type { NewLtiPlatform } from '../../app/data/repository';
import { autoPostPage, coursePage, messagePage } from './pages';

export interface FakeLmsUser {
  /** The name tests use: 'instructor', 'student', … */
  key: string;
  /** The LTI `sub`. */
  sub: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  roles: string[];
}

export type MemberStatus = 'Active' | 'Inactive' | 'Deleted';

export interface FakeLineItem {
  id: string;
  url: string;
  contextId: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
}

export interface FakeResourceLink {
  id: string;
  contextId: string;
  title: string;
  /** The tool URL the link launches (the content item's `url`), or the tool's default launch. */
  url: string;
  custom: Record<string, string>;
  lineItemId: string | null;
}

export interface ReceivedScore {
  lineItemId: string;
  lineItemUrl: string;
  contextId: string;
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
  comment?: string;
  /** The score exactly as posted (extensions included). */
  body: Record<string, unknown>;
  receivedAt: string;
}

export interface DeepLinkResponseRecord {
  ok: boolean;
  /** Why it was refused, when it was. */
  error?: string;
  contextId: string | null;
  items: Record<string, unknown>[];
  /** The resource links created from the items. */
  resourceLinkIds: string[];
  message: string | null;
}

export interface TokenRequestRecord {
  ok: boolean;
  scopes: string[];
  error?: string;
  at: string;
}

export interface LaunchRequest {
  /** A key of `users` (or one added with addMember). */
  user: string;
  kind: 'resource' | 'deepLink';
  resourceLinkId?: string;
  contextId?: string;
  custom?: Record<string, string>;
}

export interface FakePlatformOptions {
  /** The tool's origin, e.g. http://127.0.0.1:3000 (its /lti/login, /lti/launch, /lti/jwks). */
  toolUrl: string;
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  clientId?: string;
  deploymentId?: string;
  /** Where the tool's public keys are; default `<toolUrl>/lti/jwks`. */
  toolJwksUrl?: string;
  /** Registered redirect URIs; default [`<toolUrl>/lti/launch`]. */
  redirectUris?: string[];
  /** target_link_uri of a link the tool did not create, and of a deep-linking request. */
  targetLinkUris?: { resource?: string; deepLink?: string };
  /** Members per NRPS page; a longer roster answers with Link: rel="next". Default 10. */
  membersPageSize?: number;
  /** Bearer token lifetime in seconds. Default 3600. */
  tokenTtlSeconds?: number;
  now?: () => Date;
}

export interface FakePlatform {
  url: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** What an admin registers in ClassCast for this LMS. */
  registration: NewLtiPlatform;
  users: Record<string, FakeLmsUser>;
  /** The course page (LMS chrome around an iframe of the tool's /lti/login). */
  launchUrl(p: LaunchRequest): string;
  /** The tool's /lti/login URL the course page frames (for a test that skips the page). */
  loginUrl(p: LaunchRequest): string;
  /** The claims the platform would put in an id_token for this launch (tests shape bad ones from it). */
  launchClaims(p: LaunchRequest & { nonce: string }): JWTPayload;
  /** Signs claims with the platform's key, as /auth does. */
  signIdToken(claims: JWTPayload, opts?: { expiresInSeconds?: number; kid?: string }): Promise<string>;
  scores(): ReceivedScore[];
  deepLinkResponses(): DeepLinkResponseRecord[];
  lineItems(): FakeLineItem[];
  resourceLinks(): FakeResourceLink[];
  tokenRequests(): TokenRequestRecord[];
  /** The next n score posts answer 503. */
  setScoreOutage(n: number): void;
  /** Adds a member to a course (and lets them launch); returns their `sub`. */
  addMember(
    contextId: string,
    member: Partial<FakeLmsUser> & Pick<FakeLmsUser, 'name' | 'roles'> & { status?: MemberStatus },
  ): string;
  setMemberStatus(contextId: string, sub: string, status: MemberStatus): void;
  stop(): Promise<void>;
}

const DEFAULT_CONTEXT = { id: 'course-1', title: 'Biology 101', label: 'BIO101' };
const ID_TOKEN_TTL_S = 300;
const GRANTABLE_SCOPES = [
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
  NRPS_SCOPE_MEMBERSHIPS,
];

function defaultUsers(): Record<string, FakeLmsUser> {
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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.error ?? status));
  }
}

export async function startFakePlatform(opts: FakePlatformOptions): Promise<FakePlatform> {
  const toolUrl = opts.toolUrl.replace(/\/+$/, '');
  const host = opts.host ?? '127.0.0.1';
  const clientId = opts.clientId ?? 'classcast-fake-lms';
  const deploymentId = opts.deploymentId ?? 'deployment-1';
  const now = opts.now ?? (() => new Date());
  const redirectUris = opts.redirectUris ?? [`${toolUrl}/lti/launch`];
  const pageSize = opts.membersPageSize ?? 10;
  const tokenTtl = opts.tokenTtlSeconds ?? 3600;

  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] };
  // Short cooldown: tests rotate the tool's keys and expect the platform to notice at once.
  const toolKeys = createRemoteJWKSet(new URL(opts.toolJwksUrl ?? `${toolUrl}/lti/jwks`), {
    cooldownDuration: 0,
    cacheMaxAge: 1000,
  });

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
  let scoreOutage = 0;
  let counter = 0;

  let url = '';
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return sendJson(res, error.status, error.body, error.headers);
      console.error('fake LMS:', error);
      sendJson(res, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host}:${port}`;
  const issuer = url;

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
    const id = `li-${++counter}`;
    const item: FakeLineItem = { ...input, id, url: lineItemUrl({ contextId: input.contextId, id }) };
    lineItems.set(id, item);
    return item;
  }

  function resolveLaunch(p: LaunchRequest) {
    const user = userByKey(p.user);
    const link = p.resourceLinkId ? resourceLinks.get(p.resourceLinkId) : undefined;
    const context = contextOf(link?.contextId ?? p.contextId ?? DEFAULT_CONTEXT.id);
    membersOf(context.id);
    return { user, link, context };
  }

  function launchClaims(p: LaunchRequest & { nonce: string }): JWTPayload {
    const { user, link, context } = resolveLaunch(p);
    const ctx = encodeURIComponent(context.id);
    const claims: JWTPayload = {
      iss: issuer,
      aud: [clientId],
      azp: clientId,
      sub: user.sub,
      nonce: p.nonce,
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      email: user.email,
      [CLAIM.version]: LTI_VERSION,
      [CLAIM.deploymentId]: deploymentId,
      [CLAIM.roles]: user.roles,
      [CLAIM.context]: { id: context.id, title: context.title, label: context.label, type: ['CourseOffering'] },
      [CLAIM.toolPlatform]: { guid: `fake-lms-${port}`, name: 'Fake LMS', product_family_code: 'fake-lms' },
      [CLAIM.launchPresentation]: { document_target: 'iframe', return_url: `${url}/course/${ctx}` },
      [CLAIM.nrps]: { context_memberships_url: `${url}/contexts/${ctx}/memberships`, service_versions: ['2.0'] },
    };
    const ags: Record<string, unknown> = {
      scope: [AGS_SCOPE_LINEITEM, AGS_SCOPE_LINEITEM_READONLY, AGS_SCOPE_RESULT_READONLY, AGS_SCOPE_SCORE],
      lineitems: `${url}/contexts/${ctx}/lineitems`,
    };
    if (p.kind === 'deepLink') {
      const data = `dl-${randomUUID()}`;
      deepLinkRequests.set(data, { contextId: context.id, user: user.key });
      claims[CLAIM.messageType] = MESSAGE_TYPE.deepLinkingRequest;
      claims[CLAIM.targetLinkUri] = opts.targetLinkUris?.deepLink ?? `${toolUrl}/lti/deep-link`;
      claims[CLAIM.deepLinkingSettings] = {
        deep_link_return_url: `${url}/deep-link-return`,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: true,
        auto_create: true,
        title: 'ClassCast',
        data,
      };
      if (p.custom) claims[CLAIM.custom] = p.custom;
    } else {
      const id = p.resourceLinkId ?? 'resource-link-1';
      claims[CLAIM.messageType] = MESSAGE_TYPE.resourceLink;
      claims[CLAIM.resourceLink] = { id, title: link?.title ?? `Link ${id}` };
      claims[CLAIM.targetLinkUri] = link?.url ?? opts.targetLinkUris?.resource ?? `${toolUrl}/lti/launch`;
      const custom = { ...link?.custom, ...p.custom };
      if (Object.keys(custom).length > 0) claims[CLAIM.custom] = custom;
      const item = link?.lineItemId
        ? lineItems.get(link.lineItemId)
        : [...lineItems.values()].find((li) => li.resourceLinkId === id);
      if (item) ags.lineitem = item.url;
    }
    claims[CLAIM.ags] = ags;
    return claims;
  }

  async function signIdToken(claims: JWTPayload, o: { expiresInSeconds?: number; kid?: string } = {}) {
    const iat = Math.floor(now().getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + (o.expiresInSeconds ?? ID_TOKEN_TTL_S))
      .sign(privateKey);
  }

  function encodeHint(p: LaunchRequest): string {
    return Buffer.from(JSON.stringify(p)).toString('base64url');
  }

  function decodeHint(hint: string | null): LaunchRequest | null {
    if (!hint) return null;
    try {
      const value = JSON.parse(Buffer.from(hint, 'base64url').toString('utf8')) as LaunchRequest;
      return typeof value.user === 'string' && (value.kind === 'resource' || value.kind === 'deepLink') ? value : null;
    } catch {
      return null;
    }
  }

  function loginUrl(p: LaunchRequest): string {
    const { context } = resolveLaunch(p);
    const login = new URL(`${toolUrl}/lti/login`);
    const target =
      p.kind === 'deepLink'
        ? (opts.targetLinkUris?.deepLink ?? `${toolUrl}/lti/deep-link`)
        : ((p.resourceLinkId && resourceLinks.get(p.resourceLinkId)?.url) ??
          opts.targetLinkUris?.resource ??
          `${toolUrl}/lti/launch`);
    login.search = new URLSearchParams({
      iss: issuer,
      login_hint: p.user,
      target_link_uri: target,
      lti_message_hint: encodeHint({ ...p, contextId: context.id }),
      client_id: clientId,
      lti_deployment_id: deploymentId,
    }).toString();
    return login.toString();
  }

  function launchUrl(p: LaunchRequest): string {
    const { context } = resolveLaunch(p);
    const course = new URL(`${url}/course/${encodeURIComponent(context.id)}`);
    course.searchParams.set('user', p.user);
    course.searchParams.set('kind', p.kind);
    if (p.resourceLinkId) course.searchParams.set('resourceLinkId', p.resourceLinkId);
    if (p.custom) course.searchParams.set('custom', JSON.stringify(p.custom));
    return course.toString();
  }

  // --- HTTP

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    const method = req.method ?? 'GET';
    let match: RegExpExecArray | null;

    if (method === 'GET' && path === '/.well-known/jwks.json') return sendJson(res, 200, jwks);
    if (path === '/auth' && (method === 'GET' || method === 'POST')) {
      const params = method === 'GET' ? requestUrl.searchParams : new URLSearchParams(await readBody(req));
      return authorize(params, res);
    }
    if (method === 'POST' && path === '/token') return token(new URLSearchParams(await readBody(req)), res);
    if (method === 'POST' && path === '/deep-link-return') {
      return deepLinkReturn(new URLSearchParams(await readBody(req)), res);
    }
    if (method === 'GET' && (match = /^\/course\/([^/]+)$/.exec(path))) {
      return course(decodeURIComponent(match[1]), requestUrl.searchParams, res);
    }
    if ((match = /^\/contexts\/([^/]+)\/lineitems$/.exec(path))) {
      const contextId = decodeURIComponent(match[1]);
      if (method === 'GET') return listLineItems(req, contextId, requestUrl.searchParams, res);
      if (method === 'POST') return createLineItem(req, contextId, res);
    }
    if (method === 'GET' && (match = /^\/contexts\/([^/]+)\/lineitems\/([^/]+)$/.exec(path))) {
      bearer(req, [AGS_SCOPE_LINEITEM, AGS_SCOPE_LINEITEM_READONLY]);
      const item = lineItemIn(decodeURIComponent(match[1]), decodeURIComponent(match[2]));
      return sendJson(res, 200, lineItemJson(item), { 'content-type': MEDIA_TYPE_LINEITEM });
    }
    if (method === 'POST' && (match = /^\/contexts\/([^/]+)\/lineitems\/([^/]+)\/scores$/.exec(path))) {
      return postScore(req, decodeURIComponent(match[1]), decodeURIComponent(match[2]), res);
    }
    if (method === 'GET' && (match = /^\/contexts\/([^/]+)\/memberships$/.exec(path))) {
      return listMemberships(req, decodeURIComponent(match[1]), requestUrl.searchParams, res);
    }
    sendJson(res, 404, { error: 'not_found' });
  }

  function course(contextId: string, query: URLSearchParams, res: ServerResponse) {
    const user = users[query.get('user') ?? 'instructor'];
    const kind = query.get('kind') === 'deepLink' ? 'deepLink' : 'resource';
    if (!user) return sendHtml(res, 404, messagePage('Unknown user', 'The fake LMS has no such user.'));
    let custom: Record<string, string> | undefined;
    try {
      custom = query.get('custom') ? (JSON.parse(query.get('custom')!) as Record<string, string>) : undefined;
    } catch {
      return sendHtml(res, 400, messagePage('Bad custom parameters', 'custom must be a JSON object.'));
    }
    const request: LaunchRequest = {
      user: user.key,
      kind,
      contextId,
      ...(query.get('resourceLinkId') ? { resourceLinkId: query.get('resourceLinkId')! } : {}),
      ...(custom ? { custom } : {}),
    };
    const context = contextOf(contextId);
    const links = [...resourceLinks.values()]
      .filter((l) => l.contextId === contextId)
      .map((l) => ({ title: l.title, href: launchUrl({ user: user.key, kind: 'resource', resourceLinkId: l.id }) }));
    sendHtml(
      res,
      200,
      coursePage({
        courseTitle: context.title,
        userName: user.name,
        frameSrc: loginUrl(request),
        links,
        deepLinkHref: launchUrl({ user: user.key, kind: 'deepLink', contextId }),
      }),
    );
  }

  /** The OIDC authorization endpoint (LTI 1.3 Core §5.1.1.2-3): checks the request, posts an id_token. */
  async function authorize(params: URLSearchParams, res: ServerResponse) {
    const redirectUri = params.get('redirect_uri') ?? '';
    // Never post anything to an unregistered redirect URI or for another client.
    if (params.get('client_id') !== clientId) {
      return sendHtml(res, 400, messagePage('Unknown client', `client_id must be ${clientId}.`));
    }
    if (!redirectUris.includes(redirectUri)) {
      return sendHtml(res, 400, messagePage('Unregistered redirect URI', `${redirectUri} is not registered.`));
    }
    const state = params.get('state') ?? '';
    const fail = (error: string, description: string) =>
      sendHtml(
        res,
        200,
        autoPostPage('Returning to the tool', redirectUri, {
          error,
          error_description: description,
          ...(state ? { state } : {}),
        }),
      );
    const expected: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
    };
    for (const [name, value] of Object.entries(expected)) {
      if (params.get(name) !== value) return fail('invalid_request', `${name} must be ${value}`);
    }
    const nonce = params.get('nonce');
    if (!nonce) return fail('invalid_request', 'nonce is required');
    if (!state) return fail('invalid_request', 'state is required');
    const loginHint = params.get('login_hint');
    const hint = decodeHint(params.get('lti_message_hint'));
    if (!loginHint || !users[loginHint]) return fail('login_required', 'login_hint names no user of this LMS');
    if (!hint || hint.user !== loginHint) return fail('invalid_request', 'lti_message_hint does not match login_hint');
    const idToken = await signIdToken(launchClaims({ ...hint, nonce }));
    sendHtml(res, 200, autoPostPage('Opening ClassCast', redirectUri, { id_token: idToken, state }));
  }

  /** Client credentials with a JWT client assertion (Security Framework §4.1, RFC 7523). */
  async function token(params: URLSearchParams, res: ServerResponse) {
    const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
    const refuse = (status: number, error: string, description: string) => {
      tokenRequests.push({ ok: false, scopes, error: `${error}: ${description}`, at: now().toISOString() });
      sendJson(res, status, { error, error_description: description });
    };
    if (params.get('grant_type') !== 'client_credentials') {
      return refuse(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    if (params.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return refuse(400, 'invalid_request', 'client_assertion_type must be jwt-bearer');
    }
    let assertion: JWTPayload;
    try {
      ({ payload: assertion } = await jwtVerify(params.get('client_assertion') ?? '', toolKeys, {
        algorithms: ['RS256'],
        issuer: clientId,
        subject: clientId,
        audience: `${url}/token`,
        currentDate: now(),
        requiredClaims: ['jti', 'exp', 'iat'],
      }));
    } catch (error) {
      return refuse(401, 'invalid_client', `client assertion: ${(error as Error).message}`);
    }
    if (usedAssertionIds.has(String(assertion.jti))) return refuse(400, 'invalid_grant', 'client assertion replayed');
    usedAssertionIds.add(String(assertion.jti));
    const granted = scopes.filter((s) => GRANTABLE_SCOPES.includes(s));
    if (scopes.length === 0 || granted.length !== scopes.length) {
      return refuse(400, 'invalid_scope', `grantable scopes: ${GRANTABLE_SCOPES.join(' ')}`);
    }
    const accessToken = randomUUID();
    tokens.set(accessToken, { scopes: granted, expiresAt: now().getTime() + tokenTtl * 1000 });
    tokenRequests.push({ ok: true, scopes: granted, at: now().toISOString() });
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: tokenTtl,
      scope: granted.join(' '),
    });
  }

  /** The bearer token's scopes must include one of `anyOf` (AGS 2.0 §3.2, NRPS 2.0 §2.1). */
  function bearer(req: IncomingMessage, anyOf: string[]) {
    const value = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = value ? tokens.get(value) : undefined;
    if (!grant || grant.expiresAt <= now().getTime()) {
      throw new HttpError(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    if (!anyOf.some((s) => grant.scopes.includes(s))) throw new HttpError(403, { error: 'insufficient_scope' });
  }

  function lineItemIn(contextId: string, id: string): FakeLineItem {
    const item = lineItems.get(id);
    if (!item || item.contextId !== contextId) throw new HttpError(404, { error: 'not_found' });
    return item;
  }

  function lineItemJson(item: FakeLineItem) {
    return {
      id: item.url,
      label: item.label,
      scoreMaximum: item.scoreMaximum,
      ...(item.resourceId ? { resourceId: item.resourceId } : {}),
      ...(item.tag ? { tag: item.tag } : {}),
      ...(item.resourceLinkId ? { resourceLinkId: item.resourceLinkId } : {}),
    };
  }

  function listLineItems(req: IncomingMessage, contextId: string, query: URLSearchParams, res: ServerResponse) {
    bearer(req, [AGS_SCOPE_LINEITEM, AGS_SCOPE_LINEITEM_READONLY]);
    const filters = {
      resourceLinkId: query.get('resource_link_id'),
      resourceId: query.get('resource_id'),
      tag: query.get('tag'),
    };
    const items = [...lineItems.values()].filter(
      (i) =>
        i.contextId === contextId &&
        (!filters.resourceLinkId || i.resourceLinkId === filters.resourceLinkId) &&
        (!filters.resourceId || i.resourceId === filters.resourceId) &&
        (!filters.tag || i.tag === filters.tag),
    );
    sendJson(res, 200, items.map(lineItemJson), { 'content-type': MEDIA_TYPE_LINEITEM_CONTAINER });
  }

  async function createLineItem(req: IncomingMessage, contextId: string, res: ServerResponse) {
    bearer(req, [AGS_SCOPE_LINEITEM]);
    requireMediaType(req, MEDIA_TYPE_LINEITEM);
    const body = parseJson(await readBody(req));
    if (
      typeof body.label !== 'string' ||
      !body.label ||
      typeof body.scoreMaximum !== 'number' ||
      body.scoreMaximum <= 0
    ) {
      throw new HttpError(400, {
        error: 'invalid_request',
        error_description: 'label and a positive scoreMaximum are required',
      });
    }
    const item = addLineItem({
      contextId,
      label: body.label,
      scoreMaximum: body.scoreMaximum,
      ...(typeof body.resourceId === 'string' ? { resourceId: body.resourceId } : {}),
      ...(typeof body.tag === 'string' ? { tag: body.tag } : {}),
      ...(typeof body.resourceLinkId === 'string' ? { resourceLinkId: body.resourceLinkId } : {}),
    });
    sendJson(res, 201, lineItemJson(item), { 'content-type': MEDIA_TYPE_LINEITEM });
  }

  /** AGS 2.0 §3.4: the score publish service. */
  async function postScore(req: IncomingMessage, contextId: string, lineItemId: string, res: ServerResponse) {
    bearer(req, [AGS_SCOPE_SCORE]);
    requireMediaType(req, MEDIA_TYPE_SCORE);
    const item = lineItemIn(contextId, lineItemId);
    const body = parseJson(await readBody(req));
    if (scoreOutage > 0) {
      scoreOutage--;
      throw new HttpError(503, { error: 'temporarily_unavailable' }, { 'retry-after': '1' });
    }
    const problems: string[] = [];
    for (const field of ['userId', 'activityProgress', 'gradingProgress', 'timestamp']) {
      if (typeof body[field] !== 'string' || !body[field]) problems.push(`${field} is required`);
    }
    if (body.scoreGiven !== undefined && typeof body.scoreMaximum !== 'number') {
      problems.push('scoreMaximum is required with scoreGiven');
    }
    if (typeof body.timestamp === 'string' && Number.isNaN(Date.parse(body.timestamp)))
      problems.push('timestamp is not ISO 8601');
    if (problems.length) throw new HttpError(400, { error: 'invalid_request', error_description: problems.join('; ') });
    scores.push({
      lineItemId: item.id,
      lineItemUrl: item.url,
      contextId,
      userId: String(body.userId),
      ...(typeof body.scoreGiven === 'number' ? { scoreGiven: body.scoreGiven } : {}),
      ...(typeof body.scoreMaximum === 'number' ? { scoreMaximum: body.scoreMaximum } : {}),
      activityProgress: String(body.activityProgress),
      gradingProgress: String(body.gradingProgress),
      timestamp: String(body.timestamp),
      ...(typeof body.comment === 'string' ? { comment: body.comment } : {}),
      body,
      receivedAt: now().toISOString(),
    });
    res.writeHead(204).end();
  }

  /** NRPS 2.0 §2.2: the membership container, paged with Link rel="next". */
  function listMemberships(req: IncomingMessage, contextId: string, query: URLSearchParams, res: ServerResponse) {
    bearer(req, [NRPS_SCOPE_MEMBERSHIPS]);
    const context = contextOf(contextId);
    const all = [...membersOf(contextId).entries()].map(([sub, status]) => {
      const user = Object.values(users).find((u) => u.sub === sub)!;
      return {
        user_id: user.sub,
        status,
        roles: user.roles,
        name: user.name,
        given_name: user.givenName,
        family_name: user.familyName,
        email: user.email,
      };
    });
    const limit = Math.max(1, Math.min(Number(query.get('limit')) || pageSize, 1000));
    const offset = Math.max(0, Number(query.get('offset')) || 0);
    const self = `${url}/contexts/${encodeURIComponent(contextId)}/memberships`;
    const headers: Record<string, string> = { 'content-type': MEDIA_TYPE_MEMBERSHIPS };
    if (offset + limit < all.length) headers.link = `<${self}?limit=${limit}&offset=${offset + limit}>; rel="next"`;
    sendJson(
      res,
      200,
      {
        id: self,
        context: { id: context.id, label: context.label, title: context.title },
        members: all.slice(offset, offset + limit),
      },
      headers,
    );
  }

  /** Deep Linking 2.0 §4.2: the tool's signed response, posted by the browser as `JWT`. */
  async function deepLinkReturn(params: URLSearchParams, res: ServerResponse) {
    const record: DeepLinkResponseRecord = {
      ok: false,
      contextId: null,
      items: [],
      resourceLinkIds: [],
      message: null,
    };
    deepLinkResponses.push(record);
    const refuse = (reason: string) => {
      record.error = reason;
      sendHtml(res, 400, messagePage('Content not added', `The tool's answer was refused: ${reason}`));
    };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(params.get('JWT') ?? '', toolKeys, {
        algorithms: ['RS256'],
        issuer: clientId,
        audience: issuer,
        currentDate: now(),
        requiredClaims: ['iat', 'exp', 'nonce'],
      }));
    } catch (error) {
      return refuse(`JWT: ${(error as Error).message}`);
    }
    if (usedResponseNonces.has(String(payload.nonce))) return refuse('nonce already used');
    usedResponseNonces.add(String(payload.nonce));
    if (payload[CLAIM.messageType] !== MESSAGE_TYPE.deepLinkingResponse)
      return refuse('message type must be LtiDeepLinkingResponse');
    if (payload[CLAIM.version] !== LTI_VERSION) return refuse('version must be 1.3.0');
    if (payload[CLAIM.deploymentId] !== deploymentId) return refuse('unknown deployment id');
    const data = payload[CLAIM.deepLinkingData];
    const request = typeof data === 'string' ? deepLinkRequests.get(data) : undefined;
    if (!request) return refuse('data does not match a deep-linking request');
    deepLinkRequests.delete(String(data));
    const items = payload[CLAIM.contentItems] ?? [];
    if (!Array.isArray(items)) return refuse('content_items must be an array');
    record.contextId = request.contextId;
    record.items = items as Record<string, unknown>[];
    record.message =
      typeof payload[CLAIM.deepLinkingMessage] === 'string' ? (payload[CLAIM.deepLinkingMessage] as string) : null;
    for (const raw of record.items) {
      if (raw.type !== 'ltiResourceLink') continue;
      const id = `rl-${++counter}`;
      const lineItem = raw.lineItem as Record<string, unknown> | undefined;
      const item =
        lineItem && typeof lineItem.scoreMaximum === 'number'
          ? addLineItem({
              contextId: request.contextId,
              label: typeof lineItem.label === 'string' ? lineItem.label : String(raw.title ?? id),
              scoreMaximum: lineItem.scoreMaximum,
              resourceLinkId: id,
              ...(typeof lineItem.resourceId === 'string' ? { resourceId: lineItem.resourceId } : {}),
              ...(typeof lineItem.tag === 'string' ? { tag: lineItem.tag } : {}),
            })
          : null;
      resourceLinks.set(id, {
        id,
        contextId: request.contextId,
        title: typeof raw.title === 'string' ? raw.title : id,
        url: typeof raw.url === 'string' ? raw.url : `${toolUrl}/lti/launch`,
        custom: (raw.custom as Record<string, string> | undefined) ?? {},
        lineItemId: item?.id ?? null,
      });
      record.resourceLinkIds.push(id);
    }
    record.ok = true;
    const back = `${url}/course/${encodeURIComponent(request.contextId)}?user=${encodeURIComponent(request.user)}`;
    const added = `${record.resourceLinkIds.length} ClassCast link(s) added to the course.`;
    sendHtml(res, 200, messagePage('Content added', added, back));
  }

  return {
    url,
    issuer,
    clientId,
    deploymentId,
    registration: {
      name: 'Fake LMS',
      issuer,
      clientId,
      deploymentIds: [deploymentId],
      authUrl: `${url}/auth`,
      tokenUrl: `${url}/token`,
      jwksUrl: `${url}/.well-known/jwks.json`,
    },
    users,
    launchUrl,
    loginUrl,
    launchClaims,
    signIdToken,
    scores: () => [...scores],
    deepLinkResponses: () => [...deepLinkResponses],
    lineItems: () => [...lineItems.values()],
    resourceLinks: () => [...resourceLinks.values()],
    tokenRequests: () => [...tokenRequests],
    setScoreOutage(n) {
      scoreOutage = n;
    },
    addMember(contextId, member) {
      const key = member.key ?? `member-${++counter}`;
      const [givenName = member.name, ...rest] = member.name.split(' ');
      const user: FakeLmsUser = {
        key,
        sub: member.sub ?? `lms-${key}`,
        name: member.name,
        givenName: member.givenName ?? givenName,
        familyName: member.familyName ?? rest.join(' '),
        email: member.email ?? `${key}@lms.example`,
        roles: member.roles,
      };
      users[key] = user;
      membersOf(contextId).set(user.sub, member.status ?? 'Active');
      return user.sub;
    },
    setMemberStatus(contextId, sub, status) {
      const members = membersOf(contextId);
      if (!members.has(sub)) throw new Error(`fake LMS: ${sub} is not in ${contextId}`);
      members.set(sub, status);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function requireMediaType(req: IncomingMessage, mediaType: string) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== mediaType) {
    throw new HttpError(415, {
      error: 'unsupported_media_type',
      error_description: `Content-Type must be ${mediaType}`,
    });
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, { error: 'invalid_request', error_description: 'the body must be a JSON object' });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new HttpError(413, { error: 'payload_too_large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
