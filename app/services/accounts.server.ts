import { hashPassword, verifyPassword } from '~/auth/password.server';
import { loginSchema, signupSchema } from '~/auth/validation';
import { DataConflictError } from '~/data/errors';
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import { parseInput } from '~/utils/validation';
import { requireEnabledAccount } from './access.server';
import type { ServiceContext } from './context';
import { sendVerificationMail } from './email-verification.server';

const INVALID_CREDENTIALS = 'Incorrect email or password.';

/** Self-signup: students and instructors only; admins come from the seed or `npm run create-admin`. */
export async function signup(ctx: ServiceContext, input: unknown): Promise<User> {
  const data = parseInput(signupSchema, input);
  const passwordHash = await hashPassword(data.password);
  let user: User;
  try {
    user = await ctx.repos.users.create({
      email: data.email,
      firstName: data.firstName,
      lastName: data.lastName,
      role: data.role,
      passwordHash,
      studentId: data.studentId || null,
      department: data.department || null,
    });
  } catch (error) {
    if (error instanceof DataConflictError) {
      throw new AppError('EMAIL_TAKEN', 'An account with this email already exists.', {
        fields: { email: ['An account with this email already exists.'] },
      });
    }
    throw error;
  }
  // Signing up stays one step: the account works at once, with a banner until it is confirmed.
  await sendVerificationMail(ctx, user);
  return user;
}

/**
 * Unknown email and wrong password give the same message and cost the same argon2 work.
 */
export async function login(ctx: ServiceContext, input: unknown, clientIp: string): Promise<User> {
  const data = parseInput(loginSchema, input);
  await ctx.loginLimiter.beforeAttempt(clientIp, data.email);
  const user = await ctx.repos.users.getByEmail(data.email);
  const ok = await verifyPassword(data.password, user?.passwordHash ?? null);
  if (!user || !ok) {
    await ctx.loginLimiter.recordFailure(data.email);
    throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS);
  }
  await ctx.loginLimiter.recordSuccess(data.email);
  return requireEnabledAccount(user);
}

/** For the seed and the create-admin script: the one place an admin can be made. */
export async function createUserWithRole(
  ctx: Pick<ServiceContext, 'repos'>,
  input: { email: string; password: string; firstName: string; lastName: string; role: User['role'] },
): Promise<User> {
  const data = parseInput(signupSchema.omit({ role: true }), input);
  return ctx.repos.users.create({
    email: data.email,
    firstName: data.firstName,
    lastName: data.lastName,
    role: input.role,
    passwordHash: await hashPassword(data.password),
  });
}
