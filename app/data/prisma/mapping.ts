/** Row <-> domain conversions and Prisma error classification for the Postgres adapter. */
import { DataNotFoundError } from '../errors';
import type {
  AccountToken,
  AccountTokenPurpose,
  AuthSession,
  Course,
  Enrollment,
  MailPreferences,
  User,
} from '../repository';
import {
  Prisma,
  type AccountToken as AccountTokenRow,
  type AuthSession as AuthSessionRow,
  type Course as CourseRow,
  type Enrollment as EnrollmentRow,
  type User as UserRow,
} from '../../../generated/prisma/client';

const iso = (date: Date): string => date.toISOString();

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    role: row.role,
    passwordHash: row.passwordHash,
    avatar: row.avatar,
    bio: row.bio,
    studentId: row.studentId,
    department: row.department,
    emailVerified: row.emailVerified,
    disabledAt: row.disabledAt ? iso(row.disabledAt) : null,
    mailPreferences: {
      grades: row.mailGrades,
      messages: row.mailMessages,
      announcements: row.mailAnnouncements,
      digest: row.mailDigest,
    },
    cognitoSub: row.cognitoSub,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** The columns a (possibly partial) MailPreferences writes. */
export function mailPreferenceColumns(
  prefs: Partial<MailPreferences>,
): Partial<Pick<UserRow, 'mailGrades' | 'mailMessages' | 'mailAnnouncements' | 'mailDigest'>> {
  return pick(
    {
      mailGrades: prefs.grades,
      mailMessages: prefs.messages,
      mailAnnouncements: prefs.announcements,
      mailDigest: prefs.digest,
    },
    ['mailGrades', 'mailMessages', 'mailAnnouncements', 'mailDigest'],
  ) as Partial<Pick<UserRow, 'mailGrades' | 'mailMessages' | 'mailAnnouncements' | 'mailDigest'>>;
}

export function toCourse(row: CourseRow): Course {
  return {
    id: row.id,
    title: row.title,
    code: row.code,
    description: row.description,
    instructorId: row.instructorId,
    joinCode: row.joinCode,
    archivedAt: row.archivedAt ? iso(row.archivedAt) : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toEnrollment(row: EnrollmentRow): Enrollment {
  return { courseId: row.courseId, userId: row.userId, role: row.role, createdAt: iso(row.createdAt) };
}

export function toAuthSession(row: AuthSessionRow): AuthSession {
  return {
    id: row.id,
    userId: row.userId,
    generation: row.generation,
    revoked: row.revoked,
    expiresAt: iso(row.expiresAt),
    createdAt: iso(row.createdAt),
    userAgent: row.userAgent,
    lastSeenAt: iso(row.lastSeenAt),
  };
}

export function toAccountToken(row: AccountTokenRow): AccountToken {
  return {
    id: row.id,
    userId: row.userId,
    purpose: row.purpose as AccountTokenPurpose,
    tokenHash: row.tokenHash,
    email: row.email,
    expiresAt: iso(row.expiresAt),
    usedAt: row.usedAt ? iso(row.usedAt) : null,
    createdAt: iso(row.createdAt),
  };
}

/** Keeps only the listed keys whose value is not undefined (a patch never writes other columns). */
export function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function prismaCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}

/** Unique constraint violated (P2002). Each write has one unique column users can clash on. */
export const isUniqueViolation = (error: unknown): boolean => prismaCode(error) === 'P2002';

/** A referenced row (course, user) does not exist (P2003, foreign key). */
export const isMissingReference = (error: unknown): boolean => prismaCode(error) === 'P2003';

/** The row an update/delete needed does not exist (P2025). */
export const isRecordNotFound = (error: unknown): boolean => prismaCode(error) === 'P2025';

/** What the driver adapter reported about a violated constraint (typed and raw queries alike). */
function constraintViolation(error: unknown): { kind?: string; constraint?: { index?: string; fields?: string[] } } {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return {};
  const adapterError = (error.meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  const cause = adapterError?.cause;
  return typeof cause === 'object' && cause !== null ? cause : {};
}

/** The columns of the unique index a write clashed on, e.g. ['storage_key']. */
export function uniqueViolationFields(error: unknown): string[] {
  const { kind, constraint } = constraintViolation(error);
  return kind === 'UniqueConstraintViolation' ? (constraint?.fields ?? []) : [];
}

/**
 * Maps a foreign-key violation to DataNotFoundError for the missing row, by constraint name:
 * `refs` = { assignments_course_id_fkey: ['course', courseId], ... }. Anything else → undefined.
 */
export function missingReferenceError(
  error: unknown,
  refs: Record<string, readonly [entity: string, id: string]>,
): DataNotFoundError | undefined {
  const { kind, constraint } = constraintViolation(error);
  const ref = kind === 'ForeignKeyConstraintViolation' && constraint?.index ? refs[constraint.index] : undefined;
  return ref && new DataNotFoundError(ref[0], ref[1]);
}
