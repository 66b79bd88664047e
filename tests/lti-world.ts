/**
 * LTI service tests run against the fake LMS (tools/lti-platform) over HTTP: the real OIDC
 * round trip (login → the platform's /auth → its form post of id_token + state), real
 * signatures, real AGS and deep-linking endpoints. The tool's /lti/jwks is served from the real
 * keys service, so the platform checks our client assertions and deep-linking responses with
 * our actual keys. Call after setupServiceContext(): it points the context's APP_URL at that
 * JWKS server, which is the tool origin the platform launches.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createJwksCache } from '~/auth/lti/id-token';
import type { LtiPlatform } from '~/data/repository';
import { publishedJwks } from '~/services/lti-keys.server';
import { beginLtiLogin, completeLtiLaunch, type LaunchInput } from '~/services/lti-launch.server';
import { startFakePlatform, type FakePlatform } from '../tools/lti-platform';
import type { LaunchRequest } from '../tools/lti-platform/types';
import type { ServiceWorld } from './service-context';

export interface LtiWorld {
  lms: FakePlatform;
  platform: LtiPlatform;
  toolUrl: string;
}

export function setupLtiWorld(world: ServiceWorld): LtiWorld {
  const lti = {} as LtiWorld;
  let jwksServer: Server | undefined;
  beforeAll(async () => {
    jwksServer = createServer((_req, res) => {
      publishedJwks(world.ctx).then(
        (jwks) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => jwksServer!.listen(0, '127.0.0.1', resolve));
    lti.toolUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    world.ctx.settings = { ...world.ctx.settings, appUrl: lti.toolUrl };
    lti.lms = await startFakePlatform({ toolUrl: lti.toolUrl });
    lti.platform = await world.ctx.repos.lti.createPlatform(lti.lms.registration);
  });
  afterAll(async () => {
    await lti.lms?.stop();
    await new Promise((resolve) => (jwksServer ? jwksServer.close(resolve) : resolve(undefined)));
  });
  return lti;
}

/** The hidden fields of the platform's auto-posting form (its own escaping undone). */
export function formFields(html: string): Record<string, string> {
  const unescape = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(match[1]!)] = unescape(match[2]!);
  }
  return fields;
}

/** The login the platform's course page would start, up to the platform's answer (not yet posted to us). */
export async function startLaunch(world: ServiceWorld, lti: LtiWorld, request: LaunchRequest) {
  const params = Object.fromEntries(new URL(lti.lms.loginUrl(request)).searchParams);
  const login = await beginLtiLogin(world.ctx, params);
  const answer = await fetch(login.redirectUrl);
  if (answer.status !== 200) throw new Error(`the LMS answered ${answer.status}: ${await answer.text()}`);
  const fields = formFields(await answer.text());
  return { login, params, fields, idToken: fields.id_token ?? null, state: fields.state ?? null };
}

/** A whole launch: login, the platform's post, our verification and mapping. */
export async function launch(
  world: ServiceWorld,
  lti: LtiWorld,
  request: LaunchRequest,
  input: Partial<LaunchInput> = {},
) {
  const started = await startLaunch(world, lti, request);
  return completeLtiLaunch(world.ctx, {
    idToken: started.idToken,
    state: started.state,
    stateCookiePresent: true,
    jwks: createJwksCache(),
    ...input,
  });
}

/** The JWT payload of an id_token, unverified (tests read its nonce). */
export function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
