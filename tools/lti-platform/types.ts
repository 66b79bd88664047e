/** The fake LMS's public shapes: what tests configure, ask for and get back. */
import type { JWTPayload } from 'jose';
import type { NewLtiPlatform } from '../../app/data/repository';

export interface FakeLmsUser {
  /** The name tests use: 'instructor', 'student', … */
  key: string;
  /** The LTI `sub`. */
  sub: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  roles: string[];
}

export type MemberStatus = 'Active' | 'Inactive' | 'Deleted';

export interface FakeLineItem {
  id: string;
  url: string;
  contextId: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
}

export interface FakeResourceLink {
  id: string;
  contextId: string;
  title: string;
  /** The tool URL the link launches (the content item's `url`), or the tool's default launch. */
  url: string;
  custom: Record<string, string>;
  lineItemId: string | null;
}

export interface ReceivedScore {
  lineItemId: string;
  lineItemUrl: string;
  contextId: string;
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
  comment?: string;
  /** The score exactly as posted (extensions included). */
  body: Record<string, unknown>;
  receivedAt: string;
}

export interface DeepLinkResponseRecord {
  ok: boolean;
  /** Why it was refused, when it was. */
  error?: string;
  contextId: string | null;
  items: Record<string, unknown>[];
  /** The resource links created from the items. */
  resourceLinkIds: string[];
  message: string | null;
}

export interface TokenRequestRecord {
  ok: boolean;
  scopes: string[];
  error?: string;
  at: string;
}

export interface LaunchRequest {
  /** A key of `users` (or one added with addMember). */
  user: string;
  kind: 'resource' | 'deepLink';
  resourceLinkId?: string;
  contextId?: string;
  custom?: Record<string, string>;
}

export interface FakePlatformOptions {
  /** The tool's origin, e.g. http://127.0.0.1:3000 (its /lti/login, /lti/launch, /lti/jwks). */
  toolUrl: string;
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  clientId?: string;
  deploymentId?: string;
  /** Where the tool's public keys are; default `<toolUrl>/lti/jwks`. */
  toolJwksUrl?: string;
  /** Registered redirect URIs; default [`<toolUrl>/lti/launch`]. */
  redirectUris?: string[];
  /** target_link_uri of a link the tool did not create, and of a deep-linking request. */
  targetLinkUris?: { resource?: string; deepLink?: string };
  /**
   * Offer platform storage to the framed tool (login carries `lti_storage_target=_parent`,
   * the course page answers lti.put_data / lti.get_data), as Canvas does. Default true.
   */
  platformStorage?: boolean;
  /** Members per NRPS page; a longer roster answers with Link: rel="next". Default 10. */
  membersPageSize?: number;
  /** Bearer token lifetime in seconds. Default 3600. */
  tokenTtlSeconds?: number;
  now?: () => Date;
}

export interface FakePlatform {
  url: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** What an admin registers in ClassCast for this LMS. */
  registration: NewLtiPlatform;
  users: Record<string, FakeLmsUser>;
  /** The course page (LMS chrome around an iframe of the tool's /lti/login). */
  launchUrl(p: LaunchRequest): string;
  /** The tool's /lti/login URL the course page frames (for a test that skips the page). */
  loginUrl(p: LaunchRequest): string;
  /** The claims the platform would put in an id_token for this launch (tests shape bad ones from it). */
  launchClaims(p: LaunchRequest & { nonce: string }): JWTPayload;
  /** Signs claims with the platform's key, as /auth does. */
  signIdToken(claims: JWTPayload, opts?: { expiresInSeconds?: number; kid?: string }): Promise<string>;
  scores(): ReceivedScore[];
  deepLinkResponses(): DeepLinkResponseRecord[];
  lineItems(): FakeLineItem[];
  resourceLinks(): FakeResourceLink[];
  tokenRequests(): TokenRequestRecord[];
  /** The next n score posts answer 503. */
  setScoreOutage(n: number): void;
  /** Forgets every bearer token it issued (the next service call gets 401). */
  revokeTokens(): void;
  /**
   * The next id_token /auth posts is changed so (a claim set to undefined is removed), or
   * expires in `expiresInSeconds` (negative: already expired): browser tests of bad launches.
   */
  tamperNextLaunch(claims: Record<string, unknown>, opts?: { expiresInSeconds?: number }): void;
  /** Adds a member to a course (and lets them launch); returns their `sub`. */
  addMember(
    contextId: string,
    member: Partial<FakeLmsUser> & Pick<FakeLmsUser, 'name' | 'roles'> & { status?: MemberStatus },
  ): string;
  setMemberStatus(contextId: string, sub: string, status: MemberStatus): void;
  stop(): Promise<void>;
}
