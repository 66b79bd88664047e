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
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, createRemoteJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose';
import { AGS_SCOPE_LINEITEM, AGS_SCOPE_LINEITEM_READONLY, MEDIA_TYPE_LINEITEM } from '../../app/auth/lti/scopes';
import { HttpError, readBody, sendJson } from './http';
import { createLaunch } from './launch';
import { createServices } from './services';
import { createState, type PlatformState } from './state';
import type { FakeLmsUser, FakePlatform, FakePlatformOptions } from './types';

export type * from './types';

export async function startFakePlatform(opts: FakePlatformOptions): Promise<FakePlatform> {
  const toolUrl = opts.toolUrl.replace(/\/+$/, '');
  const host = opts.host ?? '127.0.0.1';

  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] };
  // Short cooldown: tests rotate the tool's keys and expect the platform to notice at once.
  const toolKeys = createRemoteJWKSet(new URL(opts.toolJwksUrl ?? `${toolUrl}/lti/jwks`), {
    cooldownDuration: 0,
    cacheMaxAge: 1000,
  });

  let handlers: ReturnType<typeof wire> | null = null;
  const server = createServer((req, res) => {
    if (!handlers) return sendJson(res, 503, { error: 'starting' });
    handlers.handle(req, res).catch((error: unknown) => {
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
  const url = `http://${host}:${port}`;
  const issuer = url;
  const clientId = opts.clientId ?? 'classcast-fake-lms';
  const deploymentId = opts.deploymentId ?? 'deployment-1';

  const s = createState({
    url,
    issuer,
    port,
    clientId,
    deploymentId,
    toolUrl,
    redirectUris: opts.redirectUris ?? [`${toolUrl}/lti/launch`],
    targetLinkUris: opts.targetLinkUris,
    platformStorage: opts.platformStorage ?? true,
    pageSize: opts.membersPageSize ?? 10,
    tokenTtl: opts.tokenTtlSeconds ?? 3600,
    now: opts.now ?? (() => new Date()),
    kid,
    privateKey,
    toolKeys,
  });
  handlers = wire(s, jwks);
  const { launchClaims, signIdToken, loginUrl, launchUrl } = handlers.launch;
  const { users, scores, deepLinkResponses, lineItems, resourceLinks, tokenRequests, tokens, membersOf } = s;

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
      s.scoreOutage = n;
    },
    revokeTokens() {
      tokens.clear();
    },
    tamperNextLaunch(claims, o = {}) {
      s.nextLaunch = { claims, ...o };
    },
    addMember(contextId, member) {
      const key = member.key ?? s.nextId('member');
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

/** The router: paths → the launch side or the services. */
function wire(s: PlatformState, jwks: { keys: JWK[] }) {
  const launch = createLaunch(s);
  const { token, lineItemJson, listLineItems, createLineItem, postScore, listMemberships } = createServices(s);
  const { authorize, deepLinkReturn, course } = launch;
  const { url } = s.config;
  const { bearer, lineItemIn } = s;

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

  return { launch, handle };
}
