import { describe, expect, it } from 'vitest';
import { AGS_SCOPE_SCORE, NRPS_SCOPE_MEMBERSHIPS } from '~/auth/lti/scopes';
import { toolSetup } from './lti-tool-setup.server';

const setupFor = (appUrl: string) => toolSetup({ settings: { uploadMaxBytes: 1, appUrl } });

describe('toolSetup', () => {
  it('derives every tool URL from APP_URL (a trailing slash or not)', () => {
    for (const appUrl of ['https://classcast.example.edu', 'https://classcast.example.edu/']) {
      expect(setupFor(appUrl)).toMatchObject({
        loginUrl: 'https://classcast.example.edu/lti/login',
        launchUrl: 'https://classcast.example.edu/lti/launch',
        deepLinkUrl: 'https://classcast.example.edu/lti/launch',
        jwksUrl: 'https://classcast.example.edu/lti/jwks',
        redirectUris: ['https://classcast.example.edu/lti/launch'],
      });
    }
  });

  it('gives Canvas a developer-key JSON with the grade and roster scopes and deep-linking placements', () => {
    const { canvasConfig } = setupFor('https://classcast.example.edu:8443');
    expect(canvasConfig).toMatchObject({
      oidc_initiation_url: 'https://classcast.example.edu:8443/lti/login',
      target_link_uri: 'https://classcast.example.edu:8443/lti/launch',
      public_jwk_url: 'https://classcast.example.edu:8443/lti/jwks',
      scopes: expect.arrayContaining([AGS_SCOPE_SCORE, NRPS_SCOPE_MEMBERSHIPS]),
    });
    const [canvas] = canvasConfig.extensions as Array<{
      domain: string;
      privacy_level: string;
      settings: { placements: Array<{ placement: string; message_type: string }> };
    }>;
    expect(canvas).toMatchObject({ domain: 'classcast.example.edu:8443', privacy_level: 'public' });
    const byPlacement = Object.fromEntries(canvas.settings.placements.map((p) => [p.placement, p.message_type]));
    expect(byPlacement).toMatchObject({
      link_selection: 'LtiDeepLinkingRequest',
      assignment_selection: 'LtiDeepLinkingRequest',
      course_navigation: 'LtiResourceLinkRequest',
    });
  });
});
