/**
 * Claim names of LTI 1.3 messages by their full URIs (LTI 1.3 Core §5, Deep Linking 2.0 §4,
 * AGS 2.0 §3.1, NRPS 2.0 §3.6). The launch verifier reads them and the fake platform writes
 * them, so both use these constants and a typo cannot make them agree with each other only.
 */

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  custom: `${LTI}custom`,
  launchPresentation: `${LTI}launch_presentation`,
  toolPlatform: `${LTI}tool_platform`,
  roleScopeMentor: `${LTI}role_scope_mentor`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: `${DL}deep_linking_settings`,
  contentItems: `${DL}content_items`,
  deepLinkingData: `${DL}data`,
  deepLinkingMessage: `${DL}msg`,
  deepLinkingLog: `${DL}log`,
  deepLinkingErrorMessage: `${DL}errormsg`,
  deepLinkingErrorLog: `${DL}errorlog`,
} as const;

export const LTI_VERSION = '1.3.0';

export const MESSAGE_TYPE = {
  resourceLink: 'LtiResourceLinkRequest',
  deepLinkingRequest: 'LtiDeepLinkingRequest',
  deepLinkingResponse: 'LtiDeepLinkingResponse',
} as const;

export type LaunchMessageType = typeof MESSAGE_TYPE.resourceLink | typeof MESSAGE_TYPE.deepLinkingRequest;

/** The Canvas extension on a score that makes the work show up in SpeedGrader. */
export const CANVAS_SUBMISSION_EXTENSION = 'https://canvas.instructure.com/lti/submission';
