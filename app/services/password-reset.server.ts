/**
 * PLACEHOLDER until helper accounts' password-reset service is merged (issue 16): the admin
 * area is written against `sendPasswordResetMail(ctx, actor, userId)`. On merge, accounts'
 * file replaces this one entirely.
 */
import type { User } from '~/data/repository';
import { AppError } from '~/utils/errors';
import type { ServiceContext } from './context';

export async function sendPasswordResetMail(_ctx: ServiceContext, _actor: User | null, _userId: string): Promise<void> {
  throw new AppError('CONFLICT', 'Password reset mail is not available yet.');
}
