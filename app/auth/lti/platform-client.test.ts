import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from '../../../tools/lti-platform';
import { startToolStandIn, type ToolStandIn } from '../../../tools/lti-platform/tool-stand-in';
import { CANVAS_SUBMISSION_EXTENSION } from './claims';
import { createPlatformClient, nextLink, scoresUrl, TOKEN_REFRESH_MARGIN_MS, type AgsScore } from './platform-client';
import { AGS_SCOPE_SCORE, NRPS_SCOPE_MEMBERSHIPS } from './scopes';

let tool: ToolStandIn;
let lms: FakePlatform;
let clock = Date.now();
const now = () => new Date(clock);
let platform: { id: string; clientId: string; tokenUrl: string };
let lineItemUrl: string;

beforeAll(async () => {
  tool = await startToolStandIn();
  lms = await startFakePlatform({ toolUrl: tool.url, now, membersPageSize: 10 });
  platform = { id: 'p-1', clientId: lms.clientId, tokenUrl: lms.registration.tokenUrl };
  // A line item to score against, made through the platform's own API.
  const client = createPlatformClient({ now });
  const token = await client.accessToken(
    platform,
    ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'],
    tool.signingKey,
  );
  const created = await fetch(`${lms.url}/contexts/course-1/lineitems`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' },
    body: JSON.stringify({ label: 'Reflection', scoreMaximum: 10, resourceLinkId: 'rl-1' }),
  });
  expect(created.status).toBe(201);
  lineItemUrl = ((await created.json()) as { id: string }).id;
});
afterAll(async () => {
  await lms.stop();
  await tool.stop();
});
afterEach(() => lms.setScoreOutage(0));

function score(overrides: Partial<AgsScore> = {}): AgsScore {
  return {
    userId: lms.users.student.sub,
    scoreGiven: 8,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: new Date(clock).toISOString(),
    ...overrides,
  };
}

function tokenRequestsFor(scope: string) {
  return lms.tokenRequests().filter((r) => r.ok && r.scopes.includes(scope)).length;
}

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => ({ code: 'no error' }),
    (error: unknown) => error as { code: string; status: number; detail?: string },
  );
}

describe('postScore', () => {
  it('asks for one token for two scores, and the platform receives both with the Canvas submission extension', async () => {
    const client = createPlatformClient({ now });
    const before = tokenRequestsFor(AGS_SCOPE_SCORE);
    await client.postScore(
      platform,
      lineItemUrl,
      score({ submission: { submittedAt: '2026-03-01T09:00:00.000Z' } }),
      tool.signingKey,
    );
    await client.postScore(
      platform,
      lineItemUrl,
      score({ scoreGiven: 9, comment: 'Clear and well paced.' }),
      tool.signingKey,
    );
    expect(tokenRequestsFor(AGS_SCOPE_SCORE) - before).toBe(1);

    const [first, second] = lms.scores().slice(-2);
    expect(first).toMatchObject({
      userId: lms.users.student.sub,
      scoreGiven: 8,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect(first.body.submission).toEqual({ submittedAt: '2026-03-01T09:00:00.000Z' });
    expect(first.body[CANVAS_SUBMISSION_EXTENSION]).toEqual({
      new_submission: true,
      submitted_at: '2026-03-01T09:00:00.000Z',
    });
    expect(second).toMatchObject({ scoreGiven: 9, comment: 'Clear and well paced.' });
    expect(second.body).not.toHaveProperty([CANVAS_SUBMISSION_EXTENSION]);
  });

  it('shares one token request between concurrent scores, and asks again once the token nears expiry', async () => {
    const client = createPlatformClient({ now });
    const before = tokenRequestsFor(AGS_SCOPE_SCORE);
    await Promise.all(
      [1, 2, 3].map((n) => client.postScore(platform, lineItemUrl, score({ scoreGiven: n }), tool.signingKey)),
    );
    expect(tokenRequestsFor(AGS_SCOPE_SCORE) - before).toBe(1);
    const start = clock;
    try {
      clock += 3600_000 - TOKEN_REFRESH_MARGIN_MS - 1000;
      await client.postScore(platform, lineItemUrl, score(), tool.signingKey);
      expect(tokenRequestsFor(AGS_SCOPE_SCORE) - before).toBe(1);
      clock += 2000;
      await client.postScore(platform, lineItemUrl, score(), tool.signingKey);
      expect(tokenRequestsFor(AGS_SCOPE_SCORE) - before).toBe(2);
    } finally {
      clock = start;
    }
  });

  it('gets a fresh token once when the platform drops the cached one early (401), and still delivers', async () => {
    const client = createPlatformClient({ now });
    await client.postScore(platform, lineItemUrl, score(), tool.signingKey);
    const before = tokenRequestsFor(AGS_SCOPE_SCORE);
    const received = lms.scores().length;
    lms.revokeTokens();
    await client.postScore(platform, lineItemUrl, score(), tool.signingKey);
    expect(tokenRequestsFor(AGS_SCOPE_SCORE) - before).toBe(1);
    expect(lms.scores()).toHaveLength(received + 1);
  });

  it('PLATFORM_UNAVAILABLE while the platform answers 503; the retry after the outage lands', async () => {
    const client = createPlatformClient({ now });
    const received = lms.scores().length;
    lms.setScoreOutage(1);
    expect(await errorOf(client.postScore(platform, lineItemUrl, score(), tool.signingKey))).toMatchObject({
      code: 'PLATFORM_UNAVAILABLE',
      status: 503,
      detail: expect.stringMatching(/HTTP 503/),
    });
    expect(lms.scores()).toHaveLength(received);
    await client.postScore(platform, lineItemUrl, score(), tool.signingKey);
    expect(lms.scores()).toHaveLength(received + 1);
  });

  it('PLATFORM_REJECTED on a 4xx: an unknown line item, a malformed score, or a key the tool does not publish', async () => {
    const client = createPlatformClient({ now });
    const unknown = lineItemUrl.replace(/[^/]+$/, 'li-missing');
    expect(await errorOf(client.postScore(platform, unknown, score(), tool.signingKey))).toMatchObject({
      code: 'PLATFORM_REJECTED',
      detail: expect.stringMatching(/HTTP 404/),
    });
    expect(
      await errorOf(client.postScore(platform, lineItemUrl, score({ timestamp: 'yesterday' }), tool.signingKey)),
    ).toMatchObject({
      code: 'PLATFORM_REJECTED',
      detail: expect.stringMatching(/HTTP 400/),
    });
    // A fresh client: a token already held stays good whichever key signed its assertion.
    const unpublished = await tool.newKey(false);
    const fresh = createPlatformClient({ now });
    expect(await errorOf(fresh.postScore(platform, lineItemUrl, score(), unpublished))).toMatchObject({
      code: 'PLATFORM_REJECTED',
      detail: expect.stringMatching(/token request: HTTP 401.*invalid_client/),
    });
  });

  it('PLATFORM_UNAVAILABLE when the platform cannot be reached or does not answer in time', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createPlatformClient({ now, timeoutMs: 300 });
    const gone = { ...platform, id: 'gone', tokenUrl: `${closedUrl}/token` };
    expect(await errorOf(client.postScore(gone, lineItemUrl, score(), tool.signingKey))).toMatchObject({
      code: 'PLATFORM_UNAVAILABLE',
    });

    const silent = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = {
        ...platform,
        id: 'slow',
        tokenUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/token`,
      };
      expect(await errorOf(client.postScore(slow, lineItemUrl, score(), tool.signingKey))).toMatchObject({
        code: 'PLATFORM_UNAVAILABLE',
        detail: expect.stringMatching(/timed out/),
      });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('listMembers', () => {
  it('follows rel="next" until the whole roster is read, statuses included', async () => {
    for (let n = 1; n <= 25; n++) {
      lms.addMember('course-nrps', {
        key: `learner-${n}`,
        name: `Learner ${n}`,
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      });
    }
    lms.setMemberStatus('course-nrps', 'lms-learner-7', 'Inactive');
    const client = createPlatformClient({ now });
    const before = tokenRequestsFor(NRPS_SCOPE_MEMBERSHIPS);
    const members = await client.listMembers(platform, `${lms.url}/contexts/course-nrps/memberships`, tool.signingKey);
    // The four default members (instructor, ta, two students) and the 25 added: three pages of 10.
    expect(members).toHaveLength(29);
    expect(new Set(members.map((m) => m.userId)).size).toBe(29);
    expect(members.find((m) => m.userId === 'lms-learner-7')?.status).toBe('Inactive');
    expect(members.find((m) => m.userId === lms.users.instructor.sub)).toMatchObject({
      roles: lms.users.instructor.roles,
      status: 'Active',
      name: 'Ida Instructor',
      givenName: 'Ida',
      familyName: 'Instructor',
      email: 'instructor@lms.example',
    });
    expect(tokenRequestsFor(NRPS_SCOPE_MEMBERSHIPS) - before).toBe(1);
  });
});

describe('URL helpers', () => {
  it('scoresUrl appends /scores to the path and keeps the query', () => {
    expect(scoresUrl('https://lms.example/api/lineitems/7')).toBe('https://lms.example/api/lineitems/7/scores');
    expect(scoresUrl('https://moodle.example/mod/lti/services.php/2/lineitems/3/lineitem?type_id=1')).toBe(
      'https://moodle.example/mod/lti/services.php/2/lineitems/3/lineitem/scores?type_id=1',
    );
  });

  it('nextLink picks rel="next" among several links, in either quoting', () => {
    const header = '<https://lms.example/m?page=1>; rel="first", <https://lms.example/m?page=3>; rel="next"';
    expect(nextLink(header, 'https://lms.example/m')).toBe('https://lms.example/m?page=3');
    expect(nextLink('</m?p=2>; rel=next', 'https://lms.example/m')).toBe('https://lms.example/m?p=2');
    expect(nextLink('<https://lms.example/m?page=1>; rel="prev"', 'https://lms.example/m')).toBeNull();
    expect(nextLink(null, 'https://lms.example/m')).toBeNull();
  });
});
