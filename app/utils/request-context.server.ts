/**
 * What is known about the request being served, for every log line it causes: its id and,
 * once someone is identified, the user. Kept in one AsyncLocalStorage on globalThis, because
 * server.ts (which starts each request) and the Remix build (which identifies the user) are
 * separate module graphs (docs/decisions/007).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
  userId?: string;
}

const STORE_KEY = Symbol.for('classcast.requestContext');
const holder = globalThis as typeof globalThis & { [STORE_KEY]?: AsyncLocalStorage<RequestContext> };
const store = (holder[STORE_KEY] ??= new AsyncLocalStorage<RequestContext>());

/** Runs `work` (and everything it starts) as part of the request `context`. */
export function runInRequest<T>(context: RequestContext, work: () => T): T {
  return store.run(context, work);
}

export function currentRequest(): RequestContext | undefined {
  return store.getStore();
}

/** The signed-in user of the current request (the first one identified wins). */
export function noteRequestUser(userId: string): void {
  const context = store.getStore();
  if (context && !context.userId) context.userId = userId;
}

/**
 * A proxy's id is kept when it is a plain token (so it cannot forge log lines or headers);
 * anything else gets a fresh id.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
