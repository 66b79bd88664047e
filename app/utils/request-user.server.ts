/**
 * Puts the signed-in user's id on the request's log lines without app/auth knowing about logs:
 * the per-request load context gets repositories whose session lookup notes the user of a
 * live session, and an actor memo that notes whoever a Bearer token or cookie resolved to.
 */
import type { Repositories, User } from '~/data/repository';
import { noteRequestUser } from './request-context.server';

export function reposNotingUser(repos: Repositories): Repositories {
  const authSessions = repos.authSessions;
  return {
    ...repos,
    authSessions: {
      ...authSessions,
      async get(id) {
        const session = await authSessions.get(id);
        if (session && !session.revoked) noteRequestUser(session.userId);
        return session;
      },
    },
  };
}

export class ActorMemoNotingUser extends Map<string, Promise<User | null>> {
  override set(key: string, actor: Promise<User | null>): this {
    actor.then((user) => user && noteRequestUser(user.id)).catch(() => undefined);
    return super.set(key, actor);
  }
}
