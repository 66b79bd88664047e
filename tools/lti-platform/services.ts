/**
 * The platform's OAuth 2.0 and LTI Advantage service endpoints: the client-credentials token
 * endpoint (Security Framework §4.1, RFC 7523), AGS 2.0 line items and scores, NRPS 2.0
 * memberships. Strict like a real platform: scopes, media types and required fields.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwtVerify, type JWTPayload } from 'jose';
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
import { HttpError, parseJson, readBody, requireMediaType, sendJson } from './http';
import type { PlatformState } from './state';
import type { FakeLineItem } from './types';

const GRANTABLE_SCOPES = [
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
  NRPS_SCOPE_MEMBERSHIPS,
];

export function createServices(s: PlatformState) {
  const { url, clientId, now, pageSize, tokenTtl, toolKeys } = s.config;
  const { tokens, tokenRequests, usedAssertionIds, lineItems, scores, users, bearer, lineItemIn, addLineItem } = s;
  const { contextOf, membersOf } = s;

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
    if (s.scoreOutage > 0) {
      s.scoreOutage--;
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
  return { token, lineItemJson, listLineItems, createLineItem, postScore, listMemberships };
}
