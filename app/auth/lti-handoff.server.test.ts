import { describe, expect, it } from 'vitest';
import {
  DEEP_LINK_HANDOFF_TTL_SECONDS,
  readDeepLinkHandoff,
  signDeepLinkHandoff,
  type DeepLinkHandoff,
} from './lti-handoff.server';

const handoff: DeepLinkHandoff = {
  userId: 'u1',
  platformId: 'p1',
  deploymentId: 'd1',
  courseId: 'c1',
  returnUrl: 'https://lms.example.test/deep-link-return?x=1',
  data: 'opaque-data',
  acceptMultiple: false,
};

describe('the deep-linking handoff token', () => {
  it('carries the verified settings back unchanged', async () => {
    const now = new Date();
    const token = await signDeepLinkHandoff(handoff, now);
    expect(await readDeepLinkHandoff(token, now)).toEqual(handoff);
    expect(await readDeepLinkHandoff(token, now)).not.toBeNull();
  });

  it('expires', async () => {
    const now = new Date();
    const token = await signDeepLinkHandoff(handoff, now);
    const later = new Date(now.getTime() + (DEEP_LINK_HANDOFF_TTL_SECONDS + 10) * 1000);
    expect(await readDeepLinkHandoff(token, later)).toBeNull();
  });

  it('refuses a token whose settings were edited (another return URL)', async () => {
    const now = new Date();
    const [header, payload, signature] = (await signDeepLinkHandoff(handoff, now)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.returnUrl = 'https://attacker.example.test/';
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect(await readDeepLinkHandoff(forged, now)).toBeNull();
  });

  it('refuses nothing, junk and an unsigned token', async () => {
    const now = new Date();
    expect(await readDeepLinkHandoff(null, now)).toBeNull();
    expect(await readDeepLinkHandoff('not-a-jwt', now)).toBeNull();
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u1' })).toString('base64url')}.`;
    expect(await readDeepLinkHandoff(unsigned, now)).toBeNull();
  });
});
