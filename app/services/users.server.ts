import type { User } from '~/data/repository';

/** What any API or page may show of a user to themselves: never the password hash. */
export interface PublicUser {
  id: string;
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  fullName: string;
  role: User['role'];
  avatar: string | null;
  bio: string | null;
  studentId: string | null;
  department: string | null;
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    userId: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    fullName: `${user.firstName} ${user.lastName}`.trim(),
    role: user.role,
    avatar: user.avatar,
    bio: user.bio,
    studentId: user.studentId,
    department: user.department,
    emailVerified: user.emailVerified,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** What classmates and instructors see of each other on a roster: no email for students' peers. */
export { displayName } from './people';
