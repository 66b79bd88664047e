/**
 * A local stand-in for a Cognito user pool and its hosted domain, for tests and laptops
 * (docs/decisions/019-cognito-sign-in.md). oauth2-mock-server does the OAuth 2.0 work (codes,
 * PKCE S256 checks, RS256 signing, the JWKS); this module gives it Cognito's paths and claims:
 *
 *   /oauth2/authorize  /oauth2/token  /oauth2/userInfo  /logout  /.well-known/jwks.json
 *
 * The issuer (`iss`) and the hosted domain are the same origin here; in AWS they differ.
 * There is no login page: the authorize request names its user with `login_hint` (a
 * username), and an unknown one is answered as Cognito answers a refusal, `error=access_denied`.
 * Without a hint the first user signs in. Test-only controls (never part of Cognito):
 *   POST /local/users   {username, email, groups?, emailVerified?, givenName?, familyName?} → {sub}
 *   POST /local/tokens  {username, tokenUse?, clientId?, expiresIn?} → {token}
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import {
  OAuth2Issuer,
  OAuth2Service,
  type MutableRedirectUri,
  type MutableResponse,
  type MutableToken,
} from 'oauth2-mock-server';

export interface LocalPoolUser {
  username: string;
  email: string;
  emailVerified?: boolean;
  groups?: string[];
  givenName?: string;
  familyName?: string;
  /** Default: a fresh UUID, as Cognito's subs are. */
  sub?: string;
}

export interface LocalIssuer {
  /** Issuer and hosted domain alike: http://127.0.0.1:<port>. */
  url: string;
  jwksUrl: string;
  clientId: string;
  /** The COGNITO_* settings that point the app at this issuer. */
  env(appUrl: string): Record<string, string>;
  addUser(user: LocalPoolUser): string;
  /** A token as the pool would sign it (tests shape the bad ones: expired, id, another client). */
  mintToken(options: MintOptions): Promise<string>;
  /** How many times /logout was visited with our client id. */
  logouts(): number;
  stop(): Promise<void>;
}

export interface MintOptions {
  username: string;
  tokenUse?: 'access' | 'id';
  clientId?: string;
  /** Seconds; negative for an already expired token. */
  expiresIn?: number;
}

export interface LocalIssuerOptions {
  port?: number;
  host?: string;
  clientId?: string;
  users?: LocalPoolUser[];
}

/** Who a laptop signs in as without a hint, and the instructor beside them. */
export const DEFAULT_POOL_USERS: LocalPoolUser[] = [
  {
    username: 'student',
    email: 'student@school.example',
    emailVerified: true,
    groups: ['student'],
    givenName: 'Sam',
    familyName: 'Student',
  },
  {
    username: 'instructor',
    email: 'instructor@school.example',
    emailVerified: true,
    groups: ['instructor'],
    givenName: 'Ida',
    familyName: 'Instructor',
  },
];

const TOKEN_TTL_SECONDS = 3600;

export async function startLocalIssuer(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const clientId = options.clientId ?? 'classcast-local';
  const users = new Map<string, Required<LocalPoolUser>>();
  const bySub = new Map<string, Required<LocalPoolUser>>();
  /** Authorization code → the user it was issued for, until the token request swaps it. */
  const codes = new Map<string, Required<LocalPoolUser>>();
  let logoutCount = 0;

  function addUser(user: LocalPoolUser): string {
    const full: Required<LocalPoolUser> = {
      emailVerified: false,
      groups: [],
      givenName: '',
      familyName: '',
      sub: randomUUID(),
      ...user,
    };
    users.set(full.username, full);
    bySub.set(full.sub, full);
    return full.sub;
  }
  for (const user of options.users ?? DEFAULT_POOL_USERS) addUser(user);

  const issuer = new OAuth2Issuer();
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer, {
    authorize: '/oauth2/authorize',
    token: '/oauth2/token',
    userinfo: '/oauth2/userInfo',
    jwks: '/.well-known/jwks.json',
    endSession: '/oauth2/end-session',
  });

  /** Cognito's claims on one of its tokens, for this user. */
  function shape(token: MutableToken, user: Required<LocalPoolUser>, tokenUse: 'access' | 'id', client: string) {
    const common = { sub: user.sub, 'cognito:groups': user.groups, token_use: tokenUse, auth_time: token.payload.iat };
    if (tokenUse === 'access') {
      delete token.payload.aud;
      Object.assign(token.payload, common, {
        client_id: client,
        username: user.username,
        scope: 'openid email profile',
      });
    } else {
      Object.assign(token.payload, common, {
        aud: client,
        email: user.email,
        email_verified: user.emailVerified,
        'cognito:username': user.username,
      });
      delete token.payload.scope;
    }
  }

  service.on('beforeAuthorizeRedirect', (redirect: MutableRedirectUri, req: IncomingMessage) => {
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    const hint = query.get('login_hint');
    const user = hint ? users.get(hint) : users.values().next().value;
    const code = redirect.url.searchParams.get('code');
    if (!user || !code) {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
      redirect.url.searchParams.set('error_description', 'Unknown user');
      return;
    }
    codes.set(code, user);
  });

  service.on('beforeTokenSigning', (token: MutableToken, req: IncomingMessage & { body?: Record<string, unknown> }) => {
    const code = typeof req.body?.code === 'string' ? req.body.code : '';
    const user = codes.get(code);
    if (!user) return;
    const client = basicClientId(req) ?? (typeof req.body?.client_id === 'string' ? req.body.client_id : clientId);
    // The mock signs the access token first and gives the id token an `aud`.
    shape(token, user, token.payload.aud === undefined ? 'access' : 'id', client);
  });

  service.on(
    'beforeResponse',
    (_response: MutableResponse, req: IncomingMessage & { body?: Record<string, unknown> }) => {
      if (typeof req.body?.code === 'string') codes.delete(req.body.code);
    },
  );

  service.on('beforeUserinfo', (response: MutableResponse, req: IncomingMessage) => {
    const user = userOfBearer(req.headers.authorization);
    if (!user) {
      response.statusCode = 401;
      response.body = { error: 'invalid_token' };
      return;
    }
    // Cognito's userInfo answers with strings, booleans included.
    response.body = {
      sub: user.sub,
      email: user.email,
      email_verified: String(user.emailVerified),
      username: user.username,
      ...(user.givenName ? { given_name: user.givenName } : {}),
      ...(user.familyName ? { family_name: user.familyName } : {}),
    };
  });

  function userOfBearer(header: string | undefined) {
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    if (!token) return undefined;
    try {
      const claims = decodeJwt(token);
      return claims.token_use === 'access' && typeof claims.sub === 'string' ? bySub.get(claims.sub) : undefined;
    } catch {
      return undefined;
    }
  }

  async function mintToken({ username, tokenUse = 'access', clientId: client = clientId, expiresIn }: MintOptions) {
    const user = users.get(username);
    if (!user) throw new Error(`local issuer: no user ${username}`);
    return issuer.buildToken({
      expiresIn: expiresIn ?? TOKEN_TTL_SECONDS,
      scopesOrTransform: (header, payload) => shape({ header, payload }, user, tokenUse, client),
    });
  }

  const handler = service.requestHandler;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === '/logout') return logout(req, res);
    if (req.method === 'POST' && path.startsWith('/local/')) return control(path, req, res);
    handler(req, res);
  });

  function logout(req: IncomingMessage, res: ServerResponse) {
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    const target = query.get('logout_uri');
    if (query.get('client_id') !== clientId || !target || !/^https?:\/\//.test(target)) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Required: client_id and logout_uri');
      return;
    }
    logoutCount += 1;
    res.writeHead(302, { Location: target }).end();
  }

  async function control(path: string, req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (path === '/local/users') return send(201, { sub: addUser(body as LocalPoolUser) });
      if (path === '/local/tokens') return send(201, { token: await mintToken(body as MintOptions) });
      send(404, { error: 'not_found' });
    } catch (error) {
      send(400, { error: error instanceof Error ? error.message : 'bad request' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  issuer.url = url;

  return {
    url,
    jwksUrl: `${url}/.well-known/jwks.json`,
    clientId,
    env: (appUrl) => ({
      COGNITO_DOMAIN: url,
      COGNITO_ISSUER: url,
      COGNITO_CLIENT_ID: clientId,
      COGNITO_REDIRECT_URI: `${appUrl}/auth/cognito/callback`,
      COGNITO_LOGOUT_URI: `${appUrl}/login`,
    }),
    addUser,
    mintToken,
    logouts: () => logoutCount,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function basicClientId(req: IncomingMessage): string | undefined {
  const match = /^Basic (\S+)$/.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const [id] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
  return id ? decodeURIComponent(id) : undefined;
}
