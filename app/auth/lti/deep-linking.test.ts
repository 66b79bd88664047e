import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from '../../../tools/lti-platform';
import { startToolStandIn, type ToolStandIn } from '../../../tools/lti-platform/tool-stand-in';
import { CLAIM } from './claims';
import { signDeepLinkingResponse } from './deep-linking';
import { createJwksCache, verifyLaunchToken } from './id-token';

let tool: ToolStandIn;
let lms: FakePlatform;

beforeAll(async () => {
  tool = await startToolStandIn();
  lms = await startFakePlatform({ toolUrl: tool.url });
});
afterAll(async () => {
  await lms.stop();
  await tool.stop();
});

/** A deep-linking request as the tool sees it after /lti/launch verified it. */
async function deepLinkingRequest() {
  const token = await lms.signIdToken(lms.launchClaims({ user: 'instructor', kind: 'deepLink', nonce: 'n' }));
  const platform = { ...lms.registration, id: 'p', createdAt: '', updatedAt: '' };
  return verifyLaunchToken(token, platform, { now: new Date(), jwks: createJwksCache() });
}

async function postToPlatform(returnUrl: string, jwt: string): Promise<Response> {
  return fetch(returnUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ JWT: jwt }).toString(),
  });
}

describe('signDeepLinkingResponse', () => {
  it('makes a response the platform accepts: items recorded, the line item created and carried by later launches', async () => {
    const request = await deepLinkingRequest();
    const jwt = await signDeepLinkingResponse({
      platform: lms.registration,
      deploymentId: request.deploymentId,
      data: request.deepLinking!.data,
      items: [
        {
          title: 'Week 3 video reflection',
          url: `${tool.url}/lti/launch?assignment=a-1`,
          text: 'Record two minutes on cell division.',
          custom: { assignment_id: 'a-1' },
          lineItem: { scoreMaximum: 10, label: 'Week 3 video reflection', resourceId: 'a-1', tag: 'classcast' },
        },
      ],
      signingKey: tool.signingKey,
      now: new Date(),
      message: 'Added one assignment',
    });

    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'RS256', kid: tool.signingKey.kid });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ iss: lms.clientId, aud: lms.issuer, [CLAIM.messageType]: 'LtiDeepLinkingResponse' });
    expect(claims.exp! - claims.iat!).toBe(300);

    const response = await postToPlatform(request.deepLinking!.returnUrl, jwt);
    expect(response.status).toBe(200);
    const record = lms.deepLinkResponses().at(-1)!;
    expect(record).toMatchObject({ ok: true, contextId: 'course-1', message: 'Added one assignment' });
    expect(record.items).toEqual([
      {
        type: 'ltiResourceLink',
        title: 'Week 3 video reflection',
        url: `${tool.url}/lti/launch?assignment=a-1`,
        text: 'Record two minutes on cell division.',
        custom: { assignment_id: 'a-1' },
        lineItem: { scoreMaximum: 10, label: 'Week 3 video reflection', resourceId: 'a-1', tag: 'classcast' },
      },
    ]);
    const [linkId] = record.resourceLinkIds;
    const lineItem = lms.lineItems().find((li) => li.resourceLinkId === linkId);
    expect(lineItem).toMatchObject({ scoreMaximum: 10, resourceId: 'a-1', tag: 'classcast' });

    const launch = lms.launchClaims({ user: 'student', kind: 'resource', resourceLinkId: linkId, nonce: 'n' });
    expect(launch[CLAIM.ags]).toMatchObject({ lineitem: lineItem!.url });
    expect(launch[CLAIM.custom]).toEqual({ assignment_id: 'a-1' });
    expect(launch[CLAIM.targetLinkUri]).toBe(`${tool.url}/lti/launch?assignment=a-1`);
  });

  it('leaves data out when the request had none; the platform then refuses it as not its request', async () => {
    const request = await deepLinkingRequest();
    const jwt = await signDeepLinkingResponse({
      platform: lms.registration,
      deploymentId: request.deploymentId,
      data: null,
      items: [],
      signingKey: tool.signingKey,
      now: new Date(),
    });
    expect(decodeJwt(jwt)).not.toHaveProperty([CLAIM.deepLinkingData]);
    const response = await postToPlatform(request.deepLinking!.returnUrl, jwt);
    expect(response.status).toBe(400);
    expect(lms.deepLinkResponses().at(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/data/) });
  });

  it('is refused when signed with a key the tool does not publish, or for another deployment', async () => {
    const request = await deepLinkingRequest();
    const unpublished = await tool.newKey(false);
    const base = { platform: lms.registration, data: request.deepLinking!.data, items: [], now: new Date() };
    const badKey = await signDeepLinkingResponse({
      ...base,
      deploymentId: request.deploymentId,
      signingKey: unpublished,
    });
    expect((await postToPlatform(request.deepLinking!.returnUrl, badKey)).status).toBe(400);
    expect(lms.deepLinkResponses().at(-1)?.error).toMatch(/JWT/);

    const otherDeployment = await signDeepLinkingResponse({
      ...base,
      deploymentId: 'elsewhere',
      signingKey: tool.signingKey,
    });
    expect((await postToPlatform(request.deepLinking!.returnUrl, otherDeployment)).status).toBe(400);
    expect(lms.deepLinkResponses().at(-1)?.error).toMatch(/deployment/);
  });

  it('a key published before it signs is accepted from its first response (rotation)', async () => {
    const request = await deepLinkingRequest();
    const next = await tool.newKey(true);
    const jwt = await signDeepLinkingResponse({
      platform: lms.registration,
      deploymentId: request.deploymentId,
      data: request.deepLinking!.data,
      items: [{ title: 'Feed', url: `${tool.url}/lti/launch` }],
      signingKey: next,
      now: new Date(),
    });
    expect((await postToPlatform(request.deepLinking!.returnUrl, jwt)).status).toBe(200);
  });
});
