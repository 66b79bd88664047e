import { Writable } from 'node:stream';
import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer, isRouteErrorResponse } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
import { config, setListeningPort } from '~/config.server';
import { getContainer, prepareSharedData as prepareSharedDataOnce } from '~/container.server';
import { platformOrigins } from '~/services/lti-platforms.server';
import { createRequestGuard as createGuard } from '~/utils/request-guard.server';
import { logError } from '~/utils/log.server';
import { ActorMemoNotingUser, reposNotingUser } from '~/utils/request-user.server';

const ABORT_DELAY = 5_000;

export const streamTimeout = ABORT_DELAY;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // No route defers data, so the shell IS the whole document: it goes out as one buffer with
  // a Content-Length. Streaming it cost more than it gave — React flushes 2 KB pieces, and
  // each became a socket write through a web stream (profiled: ~0.7 ms of a 14 KB dashboard's
  // main-thread time, against ~0.15 ms for the login page). A route that starts deferring
  // data should bring streaming back for itself.
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // Set before React can call back (a shell error may come before the render returns);
    // `abort` exists by the time the timer fires.
    const abortTimer = setTimeout(() => abort(), ABORT_DELAY + 1000);
    const chunks: Buffer[] = [];
    const body = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(abortTimer);
        responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
        if (!responseHeaders.has('Cache-Control')) responseHeaders.set('Cache-Control', 'private, no-store');
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        onAllReady() {
          shellRendered = true;
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(abortTimer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logError('render error', error);
        },
      },
    );
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // A 404 or 405 from the router is the caller's mistake, answered as such: not an error of ours.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  logError('request failed', error);
}

/**
 * `?_data=` and `.data` answers carry the same per-user data as the page: never cached by
 * a shared cache or the browser's back/forward store.
 */
export function handleDataRequest(response: Response) {
  response.headers.set('Cache-Control', 'private, no-store');
  return response;
}

/**
 * What server.ts asks of the build. The container is made here, inside the bundle, so the
 * errors thrown by adapters and the classes routes test them against are the same.
 */
export { config };

/** The registered LTI platforms' origins (cached by the service): CSP frame-ancestors and the CSRF check. */
export async function ltiPlatformOrigins(): Promise<string[]> {
  return platformOrigins((await getContainer()).services);
}

/** The request guard, able to vouch for registered LMS origins on the launch endpoints. */
export function createRequestGuard(build: Parameters<typeof createGuard>[0]) {
  return createGuard(build, { platformOrigins: ltiPlatformOrigins });
}

/**
 * Builds (or, after a dev rebuild, reconnects) the container once the port is known. A
 * cluster worker finds migrations, tables and the seed done by its primary.
 */
export async function startContainer(listeningPort: number, role: 'single' | 'worker' = 'single') {
  setListeningPort(listeningPort);
  return getContainer(role);
}

/** The cluster primary's one-time part (docs/decisions/018-web-concurrency.md). */
export async function prepareSharedData(listeningPort: number) {
  setListeningPort(listeningPort);
  return prepareSharedDataOnce(config());
}

/**
 * Per-request load context: the process's services plus what lives for this request only
 * (who is signed in, asked by several loaders of one page).
 */
export async function loadContext(clientIp: string): Promise<AppLoadContext> {
  const { services } = await getContainer();
  return {
    services: { ...services, repos: reposNotingUser(services.repos), actorMemo: new ActorMemoNotingUser() },
    clientIp,
  };
}

export type ServerEntry = {
  config: typeof config;
  startContainer: typeof startContainer;
  prepareSharedData: typeof prepareSharedData;
  loadContext: typeof loadContext;
  createRequestGuard: typeof createRequestGuard;
  ltiPlatformOrigins: typeof ltiPlatformOrigins;
};
