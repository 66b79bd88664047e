import { Authenticator } from 'remix-auth';
import { OAuth2RequestError, OAuth2Strategy, UnexpectedResponseError } from 'remix-auth-oauth2';
import type { CognitoConfig } from '~/config.server';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import type { CognitoIdentity } from './cognito-identity';
import { verifyCognitoAccessToken } from './cognito-tokens.server';

/** Turns who Cognito says signed in into our user: the cognito accounts service, handed in by the route. */
export type ResolveCognitoUser = (identity: CognitoIdentity) => Promise<User>;

/** The state → PKCE verifier cookies (remix-auth-oauth2 appends `:<uuid>` to the name). */
const STATE_COOKIE = 'classcast_cognito';
const STATE_COOKIE_PATH = '/auth/cognito';

/** Why a sign-in through Cognito failed, as the login page words it (never text from the URL). */
export type CognitoFailure = 'cancelled' | 'expired' | 'state' | 'unavailable' | 'refused';

export class CognitoSignInError extends Error {
  constructor(
    readonly failure: CognitoFailure,
    cause?: unknown,
  ) {
    super(`Cognito sign-in failed: ${failure}`, { cause });
    this.name = 'CognitoSignInError';
  }
}

/** Adds what the start URL carried on to Cognito's authorize request. */
class CognitoStrategy extends OAuth2Strategy<User> {
  protected override authorizationParams(params: URLSearchParams, request: Request): URLSearchParams {
    const out = new URLSearchParams(params);
    // Pre-fills the username on the hosted page; the local test issuer picks its user by it.
    const hint = new URL(request.url).searchParams.get('login_hint');
    if (hint && hint.length <= 256) out.set('login_hint', hint);
    return out;
  }
}

function strategy(pool: CognitoConfig, secure: boolean, resolve: ResolveCognitoUser) {
  return new CognitoStrategy(
    {
      clientId: pool.clientId,
      clientSecret: pool.clientSecret,
      authorizationEndpoint: `${pool.domain}/oauth2/authorize`,
      tokenEndpoint: `${pool.domain}/oauth2/token`,
      redirectURI: pool.redirectUri,
      scopes: pool.scopes,
      cookie: {
        name: STATE_COOKIE,
        path: STATE_COOKIE_PATH,
        sameSite: 'Lax',
        httpOnly: true,
        ...(secure ? { secure: true as const } : {}),
      },
    },
    async ({ tokens }) => resolve(await identityFrom(pool, tokens.accessToken())),
  );
}

/**
 * Groups come from the verified access token (userInfo does not list them), the email and
 * names from userInfo; both must be about the same subject.
 */
async function identityFrom(pool: CognitoConfig, accessToken: string): Promise<CognitoIdentity> {
  const claims = await verifyCognitoAccessToken(accessToken, pool);
  let response: Response;
  try {
    response = await fetch(`${pool.domain}/oauth2/userInfo`, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new CognitoSignInError('unavailable', error);
  }
  if (!response.ok) throw new CognitoSignInError(response.status >= 500 ? 'unavailable' : 'refused');
  const info = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!info || info.sub !== claims.sub) throw new CognitoSignInError('refused');
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
  return {
    sub: claims.sub,
    groups: claims.groups,
    email: text(info.email) ?? '',
    // Cognito's userInfo sends booleans as strings.
    emailVerified: info.email_verified === true || info.email_verified === 'true',
    username: text(info.username) ?? claims.username,
    givenName: text(info.given_name),
    familyName: text(info.family_name),
  };
}

/**
 * Both legs of the code flow: without `state` in the URL it answers with the redirect to
 * Cognito (and the state cookie); on the callback it checks state and PKCE (the library
 * does), swaps the code and resolves the user. Failures are CognitoSignInError, or the
 * AppError the accounts service raised.
 */
export async function authenticateWithCognito(
  request: Request,
  pool: CognitoConfig,
  { secure, resolve }: { secure: boolean; resolve: ResolveCognitoUser },
): Promise<User> {
  const authenticator = new Authenticator<User>();
  authenticator.use(strategy(pool, secure, resolve), 'cognito');
  try {
    return await authenticator.authenticate('cognito', request);
  } catch (error) {
    throw error instanceof Response || error instanceof AppError
      ? error
      : new CognitoSignInError(failureOf(error), error);
  }
}

function failureOf(error: unknown): CognitoFailure {
  if (!(error instanceof Error)) return 'refused';
  if (error instanceof CognitoSignInError) return error.failure;
  if (error instanceof OAuth2RequestError) return error.code === 'access_denied' ? 'cancelled' : 'refused';
  // The library's words for a missing state cookie or verifier, and for a state it never issued.
  if (error instanceof ReferenceError) return 'expired';
  if (error instanceof RangeError) return 'state';
  // arctic's fetch failure is not re-exported; its class name is all it carries.
  if (error instanceof UnexpectedResponseError) return error.status >= 500 ? 'unavailable' : 'refused';
  if (error.constructor.name === 'ArcticFetchError') return 'unavailable';
  return 'refused';
}

/** Set-Cookie headers that drop every state cookie the browser sent (they are single-use). */
export function clearStateCookies(request: Request, secure: boolean): string[] {
  const names = (request.headers.get('Cookie') ?? '')
    .split(';')
    .map((part) => part.split('=')[0].trim())
    .filter((name) => name.startsWith(STATE_COOKIE) && /^[\w:-]+$/.test(name));
  return names.map(
    (name) => `${name}=; Path=${STATE_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
}

/** Cognito's hosted /logout: ends its session and sends the browser to `logoutUri`. */
export function cognitoLogoutUrl(pool: CognitoConfig, logoutUri: string): string {
  const url = new URL(`${pool.domain}/logout`);
  url.searchParams.set('client_id', pool.clientId);
  url.searchParams.set('logout_uri', logoutUri);
  return url.toString();
}
