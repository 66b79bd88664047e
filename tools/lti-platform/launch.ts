/**
 * The launch side of the fake LMS (LTI 1.3 Core §5.1.1, Deep Linking 2.0): the course page
 * that frames the tool's login, the OIDC authorization endpoint that posts the id_token, the
 * claims of each launch, and the deep-linking return that turns content items into links.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { CLAIM, LTI_VERSION, MESSAGE_TYPE } from '../../app/auth/lti/claims';
import {
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
} from '../../app/auth/lti/scopes';
import { sendHtml } from './http';
import { autoPostPage, coursePage, messagePage } from './pages';
import { DEFAULT_CONTEXT, type PlatformState } from './state';
import type { DeepLinkResponseRecord, LaunchRequest } from './types';

const ID_TOKEN_TTL_S = 300;

export function createLaunch(s: PlatformState) {
  const { url, issuer, port, clientId, deploymentId, toolUrl, redirectUris, now, kid, privateKey, toolKeys } = s.config;
  const opts = { targetLinkUris: s.config.targetLinkUris };
  const { users, resourceLinks, lineItems, deepLinkRequests, deepLinkResponses, usedResponseNonces } = s;
  const { userByKey, contextOf, membersOf, addLineItem } = s;

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

  async function signIdToken(claims: JWTPayload, o: { expiresInSeconds?: number | undefined; kid?: string } = {}) {
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
      ...(s.config.platformStorage ? { lti_storage_target: '_parent' } : {}),
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
        ...(s.config.platformStorage ? { storageFor: new URL(toolUrl).origin } : {}),
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
    // A test may have asked for the next launch to be bad in one way (undefined removes a claim).
    const tamper = s.nextLaunch;
    s.nextLaunch = null;
    const claims = launchClaims({ ...hint, nonce });
    for (const [name, value] of Object.entries(tamper?.claims ?? {})) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    const idToken = await signIdToken(claims, { expiresInSeconds: tamper?.expiresInSeconds });
    sendHtml(res, 200, autoPostPage('Opening ClassCast', redirectUri, { id_token: idToken, state }));
  }

  /** Client credentials with a JWT client assertion (Security Framework §4.1, RFC 7523). */
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
      const id = s.nextId('rl');
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

  return { launchClaims, signIdToken, loginUrl, launchUrl, course, authorize, deepLinkReturn };
}
