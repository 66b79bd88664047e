import type { Role } from '~/data/repository';

/**
 * The user pool's groups decide the role (docs/decisions/019-cognito-sign-in.md). Several
 * groups: the most privileged wins; none of ours: student, the role anyone in a school's
 * pool may safely hold.
 */
const BY_PRIVILEGE: readonly Role[] = ['admin', 'instructor', 'student'];

export function roleFromGroups(groups: readonly string[]): Role {
  const names = new Set(groups.map((group) => group.trim().toLowerCase()));
  return BY_PRIVILEGE.find((role) => names.has(role) || names.has(`${role}s`)) ?? 'student';
}

/** Who the user pool says signed in: the access token's claims plus the userInfo answer. */
export interface CognitoIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  groups: string[];
  username: string | null;
  givenName: string | null;
  familyName: string | null;
}
