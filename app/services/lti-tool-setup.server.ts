/**
 * What an LMS admin pastes into their LMS to add ClassCast (README "Add ClassCast to your
 * LMS"): our tool URLs and Canvas' developer-key JSON, all derived from APP_URL. The same
 * values for every registration — a registration is the LMS's half, these are ours.
 */
import { AGS_SCOPES, NRPS_SCOPE_MEMBERSHIPS } from '~/auth/lti/scopes';
import type { ServiceContext } from './context';

export interface ToolSetup {
  /** OIDC third-party login initiation (Security Framework §5.1.1). */
  loginUrl: string;
  /** Where the platform posts the id_token: the redirect URI and the target link URI. */
  launchUrl: string;
  /** Deep linking requests arrive at the same launch URL; the message type tells them apart. */
  deepLinkUrl: string;
  jwksUrl: string;
  redirectUris: string[];
  scopes: string[];
  /** Canvas' "Paste JSON" developer-key configuration. */
  canvasConfig: Record<string, unknown>;
}

export function toolSetup(ctx: Pick<ServiceContext, 'settings'>): ToolSetup {
  const base = ctx.settings.appUrl.replace(/\/+$/, '');
  const loginUrl = `${base}/lti/login`;
  const launchUrl = `${base}/lti/launch`;
  const jwksUrl = `${base}/lti/jwks`;
  const scopes = [...AGS_SCOPES, NRPS_SCOPE_MEMBERSHIPS];
  // Deep linking from the places a teacher adds content: the rich-content/module link picker
  // and an assignment's "external tool" submission type. Course navigation opens the course.
  const deepLinking = (placement: string) => ({
    placement,
    message_type: 'LtiDeepLinkingRequest',
    target_link_uri: launchUrl,
  });
  const canvasConfig = {
    title: 'ClassCast',
    description: 'Video assignments: students record or upload answers, instructors grade them.',
    oidc_initiation_url: loginUrl,
    target_link_uri: launchUrl,
    public_jwk_url: jwksUrl,
    scopes,
    extensions: [
      {
        platform: 'canvas.instructure.com',
        domain: new URL(base).host,
        // Names and emails: ClassCast shows who submitted and lets instructors write to students.
        privacy_level: 'public',
        settings: {
          text: 'ClassCast',
          placements: [
            deepLinking('link_selection'),
            deepLinking('assignment_selection'),
            { placement: 'course_navigation', message_type: 'LtiResourceLinkRequest', target_link_uri: launchUrl },
          ],
        },
      },
    ],
    custom_fields: {},
  };
  return { loginUrl, launchUrl, deepLinkUrl: launchUrl, jwksUrl, redirectUris: [launchUrl], scopes, canvasConfig };
}
