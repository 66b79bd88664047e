/**
 * Key shapes of every item kind (docs/dynamodb.md lists them). Real ids are ULIDs and never
 * contain '#', so the claim and session prefixes can never collide with them.
 */

/** `entity` attribute on every item, so a read of one kind never returns another. */
export const ENTITY = {
  user: 'user',
  emailClaim: 'emailClaim',
  authSession: 'authSession',
  course: 'course',
  joinCodeClaim: 'joinCodeClaim',
  member: 'member',
} as const;

// classcast-users (partition key userId)
export const userKey = (id: string) => ({ userId: id });
export const emailClaimKey = (normalizedEmail: string) => ({ userId: `EMAIL#${normalizedEmail}` });
export const authSessionKey = (id: string) => ({ userId: `AUTHSESSION#${id}` });

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
