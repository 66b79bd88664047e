/**
 * OAuth scopes of LTI Advantage services (AGS 2.0 §3.1, NRPS 2.0 §2.1) and the media types
 * their endpoints speak. The scopes are sent space-separated in a client-credentials request.
 */

export const AGS_SCOPE_LINEITEM = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
export const AGS_SCOPE_LINEITEM_READONLY = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly';
export const AGS_SCOPE_RESULT_READONLY = 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly';
export const AGS_SCOPE_SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
export const NRPS_SCOPE_MEMBERSHIPS = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

export const AGS_SCOPES = [
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
] as const;

export const MEDIA_TYPE_SCORE = 'application/vnd.ims.lis.v1.score+json';
export const MEDIA_TYPE_LINEITEM = 'application/vnd.ims.lis.v2.lineitem+json';
export const MEDIA_TYPE_LINEITEM_CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
export const MEDIA_TYPE_MEMBERSHIPS = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
