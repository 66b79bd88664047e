/**
 * Shared by the signup/login pages, the JSON API and the services: one password rule,
 * one email rule, for signup and login alike.
 */
import { z } from 'zod';
import { tooLongMessage } from '~/utils/validation';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const emailSchema = z
  .string({ error: 'Email is required.' })
  .trim()
  .min(1, 'Email is required.')
  .max(254, tooLongMessage('Email', 254))
  .pipe(z.email('Enter a valid email address.'))
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string({ error: 'Password is required.' })
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`);

const nameSchema = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(80, tooLongMessage(label, 80));

export const SIGNUP_ROLES = ['student', 'instructor'] as const;

export const signupSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  firstName: nameSchema('First name'),
  lastName: nameSchema('Last name'),
  role: z.enum(SIGNUP_ROLES, { error: 'Choose student or instructor.' }).default('student'),
  studentId: z.string().trim().max(64, tooLongMessage('Student ID', 64)).optional(),
  department: z.string().trim().max(120, tooLongMessage('Department', 120)).optional(),
});
export type SignupInput = z.infer<typeof signupSchema>;

/** Login checks presence only: the signup rule would hint at what passwords exist. */
export const loginSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, 'Enter your password.')
    .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`),
});
export type LoginInput = z.infer<typeof loginSchema>;
