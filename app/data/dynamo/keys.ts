/**
 * Key shapes of every item kind (docs/dynamodb.md lists them). Real ids are ULIDs and never
 * contain '#', so the claim and session prefixes can never collide with them.
 */

/** `entity` attribute on every item, so a read of one kind never returns another. */
export const ENTITY = {
  user: 'user',
  emailClaim: 'emailClaim',
  cognitoClaim: 'cognitoClaim',
  authSession: 'authSession',
  course: 'course',
  joinCodeClaim: 'joinCodeClaim',
  member: 'member',
  assignment: 'assignment',
  submission: 'submission',
  video: 'video',
  storageKeyClaim: 'storageKeyClaim',
  interaction: 'interaction',
  viewMarker: 'viewMarker',
  notification: 'notification',
  post: 'post',
  connection: 'connection',
  message: 'message',
  conversation: 'conversation',
  outbox: 'outbox',
  outboxKeyClaim: 'outboxKeyClaim',
  accountToken: 'accountToken',
} as const;

// classcast-users (partition key userId)
export const userKey = (id: string) => ({ userId: id });
export const emailClaimKey = (normalizedEmail: string) => ({ userId: `EMAIL#${normalizedEmail}` });
/** Claims a Cognito sub for one user, as the email claim claims an address. */
export const cognitoClaimKey = (sub: string) => ({ userId: `COGNITO#${sub}` });
export const authSessionKey = (id: string) => ({ userId: `AUTHSESSION#${id}` });
export const accountTokenKey = (id: string) => ({ userId: `ACCOUNTTOKEN#${id}` });
/** `accountSort` prefixes in the users table's `accountOwnerId-account-index`. */
export const SESSION_SORT_PREFIX = 'SESSION#';
export const tokenSortPrefix = (purpose: string) => `TOKEN#${purpose}#`;

// classcast-courses (partition key courseId, sort key sk)
export const COURSE_SK = 'COURSE';
export const MEMBER_SK_PREFIX = 'MEMBER#';
export const JOIN_CODE_SK = 'JOINCODE';
export const courseKey = (id: string) => ({ courseId: id, sk: COURSE_SK });
export const memberKey = (courseId: string, userId: string) => ({
  courseId,
  sk: `${MEMBER_SK_PREFIX}${userId}`,
});
export const joinCodeClaimKey = (normalizedCode: string) => ({
  courseId: `JOINCODE#${normalizedCode}`,
  sk: JOIN_CODE_SK,
});

// classcast-assignments (assignmentId), classcast-submissions (submissionId),
// classcast-videos (videoId), classcast-interactions (id), classcast-notifications (notificationId)
export const assignmentKey = (id: string) => ({ assignmentId: id });
export const submissionKey = (id: string) => ({ submissionId: id });
export const videoKey = (id: string) => ({ videoId: id });
export const storageKeyClaimKey = (storageKey: string) => ({ videoId: `STORAGEKEY#${storageKey}` });
export const interactionKey = (id: string) => ({ id });
export const submittedInteractionId = (videoId: string) => `submitted#${videoId}`;
export const viewMarkerId = (videoId: string, viewerId: string, day: string) => `view#${videoId}#${viewerId}#${day}`;
export const notificationKey = (id: string) => ({ notificationId: id });

// classcast-posts (postId), classcast-connections (connectionId = the sorted pair)
export const postKey = (id: string) => ({ postId: id });
export const connectionKey = (connectionId: string) => ({ connectionId });

// classcast-messages (id): messages under their ULID, each participant's summary of a
// conversation under its own prefix (conversation ids are `<a>_<b>`, never containing '#').
export const messageKey = (id: string) => ({ id });
export const conversationSummaryKey = (ownerId: string, conversationId: string) => ({
  id: `CONVERSATION#${ownerId}#${conversationId}`,
});

// classcast-notifications (notificationId): outbox entries share the table under their prefix.
export const outboxKey = (id: string) => ({ notificationId: `OUTBOX#${id}` });
/** Claims an enqueue dedupe key (hashed: keys are free text of any length) for one entry. */
export const outboxKeyClaimKey = (keyHash: string) => ({ notificationId: `OUTBOXKEY#${keyHash}` });
/** The one partition of the outbox's due index: every pending entry, ordered by when it is due. */
export const OUTBOX_DUE_PARTITION = 'due';

/**
 * Sort value `<timestamp>#<id>`: time order, ties broken by the (unique) id. A parseable
 * timestamp is normalized to ISO-8601 UTC so that string order is time order.
 */
export function timeSort(timestamp: string, id: string): string {
  const ms = Date.parse(timestamp);
  return `${Number.isNaN(ms) ? timestamp : new Date(ms).toISOString()}#${id}`;
}
