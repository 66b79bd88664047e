/**
 * Express entry: security headers, static files, the request guard (CSRF and input checks),
 * the Remix handler, graceful shutdown; with WEB_CONCURRENCY, a cluster primary that forks
 * workers running the same (docs/decisions/018-web-concurrency.md).
 * `tsx server.ts` in development and production (see scripts/start.ts for `npm start`).
 *
 * Everything of the app's own — configuration, the service container — is asked of the
 * Remix build (app/entry.server.tsx), so there is one copy of each module in the process
 * (docs/decisions/007-container-inside-the-build.md).
 */
// The adapter's own request/response conversion; its index only re-exports the handler,
// and the guard must sit between the two.
import { createRemixRequest, sendRemixResponse } from '@remix-run/express/dist/server.js';
import { broadcastDevReady, createRequestHandler, installGlobals, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerEntry } from '~/entry.server';
import { isEventStream, sendEventStream, skipForLiveStream } from './app/realtime/event-stream-response.server';
import { runPrimary, WORKER_READY } from './server/cluster-primary';
import { installGracefulShutdown } from './server/graceful-shutdown';
import { precompressAssets } from './server/precompress-assets';
import { ROUTE_PATTERN, requestTracking } from './server/request-tracking';
import { routePatternMatcher } from './server/route-patterns';
import { createOriginsCache, securityHeaders } from './server/security-headers';
import { staticAssets } from './server/static-assets';

installGlobals({ nativeFetch: true });

const BUILD_PATH = path.resolve('build/index.js');
const PUBLIC_DIR = path.resolve('public');

async function loadBuild(fresh: boolean): Promise<{ build: ServerBuild; entry: ServerEntry }> {
  // A query string busts Node's module cache so development picks up each rebuild.
  const url = pathToFileURL(BUILD_PATH).href;
  const build = (await import(fresh ? `${url}?t=${Date.now()}` : url)) as ServerBuild;
  return { build, entry: build.entry.module as unknown as ServerEntry };
}

/**
 * What `npm start` and the e2e server run: one process serving, or with WEB_CONCURRENCY on a
 * server database the primary (which serves nothing) and, in each forked worker, the server.
 */
export async function startClassCast(): Promise<void> {
  if (cluster.isWorker) {
    await startServer('worker');
    return;
  }
  const { entry } = await loadBuild(false);
  const { processes, isProduction } = entry.config();
  if (isProduction) await precompressOnce();
  if (processes.singleProcessReason) console.log(processes.singleProcessReason);
  if (processes.count === 1) {
    await startServer('single');
    return;
  }
  await runPrimary(entry, processes.count, {
    onReady: ({ description, demoLogins }) => printBanner(entry.config().appUrl, description, demoLogins),
  });
}

/**
 * `npm run build` precompressed the assets already; a build made otherwise (`npx remix build`)
 * gets its copies here, once, before any process serves. A read-only folder only costs size.
 */
async function precompressOnce() {
  const { written } = await precompressAssets(PUBLIC_DIR).catch((error: unknown) => {
    console.warn('Could not precompress the static assets; they are sent uncompressed:', error);
    return { written: 0 };
  });
  if (written) console.log(`Precompressed ${written} static asset copies (br, gzip).`);
}

/** One serving process: the whole app (`single`), or a cluster worker whose primary prepared the data. */
export async function startServer(role: 'single' | 'worker' = 'single') {
  let { build, entry } = await loadBuild(false);
  const cfg = entry.config();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', cfg.TRUST_PROXY);
  let patternOf = routePatternMatcher(build.routes);
  app.use(requestTracking({ patternOf: (pathname) => patternOf(pathname), metrics: Boolean(cfg.METRICS_TOKEN) }));

  // A single process binds the port first (PORT=0 picks one) so the container knows the
  // app's origin. A worker's port is fixed by its primary, and it must not listen before it
  // can answer: the primary would hand it connections its empty app answers with 404.
  let routesReady!: () => void;
  let ready = false;
  const routesRegistered = new Promise<void>((resolve) => (routesReady = resolve)).then(() => (ready = true));
  // Express runs middleware registered later too: a request that came early waits here for it.
  app.use((_req, _res, next) => (ready ? next() : void routesRegistered.then(() => next())));
  let server = role === 'single' ? await listen(app, cfg.PORT, cfg.HOST) : undefined;
  const port = server ? boundPort(server, cfg.PORT) : cfg.PORT;
  let container = await entry.startContainer(port, role).catch((error: unknown) => {
    server?.close();
    throw error;
  });

  // Read before the first page goes out; refreshed in the background afterwards.
  const platformOrigins = createOriginsCache(() => entry.ltiPlatformOrigins(), {
    onError: (error) => console.warn('Could not list the LTI platforms for frame-ancestors:', error),
  });
  await platformOrigins.refresh();
  // /events is no page, and every open stream would hold the page headers (5,000 streams).
  app.use(
    skipForLiveStream(
      securityHeaders({
        browserOrigins: container.browserOrigins,
        cognitoOrigin: cfg.cognito ? new URL(cfg.cognito.domain).origin : null,
        frameAncestors: cfg.FRAME_ANCESTORS,
        platformOrigins,
        strictTransportSecurity: entry.config().appUrl.startsWith('https://'),
      }),
    ),
  );
  // Before compression: the assets go out as their precompressed copies.
  const assets = staticAssets(PUBLIC_DIR, { remember: cfg.isProduction });
  app.use((req, res, next) => {
    res.locals[ROUTE_PATTERN] = 'static';
    assets(req, res, (error?: unknown) => {
      // Not a file: Remix answers, and the route pattern says which route.
      delete res.locals[ROUTE_PATTERN];
      next(error);
    });
  });
  // Compression buffers output and wraps each response: live streams go out as written.
  app.use(skipForLiveStream(compression()));

  let remix = createRequestHandler(build, build.mode);
  let guard = entry.createRequestGuard(build);
  // Every request Remix serves passes the guard first (docs/decisions/010): it is the one
  // CSRF defence and the one input check, and what it refuses never reaches a route.
  app.all('*', async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      const refused = await guard(request);
      if (refused && !(await drainBody(request))) res.setHeader('Connection', 'close');
      const response = refused ?? (await remix(request, await entry.loadContext(req.ip ?? 'unknown')));
      // Not awaited: an open stream must not keep this request's objects alive.
      if (isEventStream(response.headers.get('Content-Type'))) sendEventStream(res, response);
      else await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  routesReady();
  server ??= await listen(app, port, cfg.HOST);

  if (!cfg.isProduction) {
    await broadcastDevReady(build);
    const { watch } = await import('node:fs');
    watch(path.dirname(BUILD_PATH), async (_event, file) => {
      if (file !== 'index.js') return;
      ({ build, entry } = await loadBuild(true));
      remix = createRequestHandler(build, build.mode);
      guard = entry.createRequestGuard(build);
      patternOf = routePatternMatcher(build.routes);
      // The rebuilt bundle reconnects its own clients to the stand-ins already running.
      container = await entry.startContainer(port);
      await broadcastDevReady(build);
    });
  }

  if (role === 'worker') {
    console.log(`worker ${process.pid} serving ${entry.config().appUrl}`);
    process.send?.(WORKER_READY);
  } else printBanner(entry.config().appUrl, container.description, container.demoLogins);

  const listening = server;
  installGracefulShutdown({
    server: () => listening,
    graceMs: cfg.SHUTDOWN_GRACE_MS,
    stop: () => container.stop(),
    forceOnSecondSignal: role === 'single',
  });
  return { server, container };
}

async function listen(app: express.Express, port: number, host: string): Promise<Server> {
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

function boundPort(server: Server, fallback: number): number {
  const address = server.address();
  return address && typeof address === 'object' ? address.port : fallback;
}

function printBanner(
  appUrl: string,
  description: string,
  logins: Array<{ role: string; email: string; password: string }>,
) {
  const lines = [`ClassCast is running at ${appUrl}`, `Data: ${description}`];
  if (logins.length) {
    lines.push('Demo logins (join code DEMO101):');
    for (const l of logins) lines.push(`  ${l.role.padEnd(10)} ${l.email}  /  ${l.password}`);
  }
  console.log(`\n${lines.join('\n')}\n`);
}

const DRAIN_LIMIT_BYTES = 2_000_000;

/**
 * Reads and drops the body of a refused request: answering with the body unread would make
 * Node drop the keep-alive connection under the client's next request. Past the limit we
 * stop reading and close the connection instead.
 */
async function drainBody(request: Request): Promise<boolean> {
  if (!request.body || request.bodyUsed) return true;
  const reader = request.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      total += value.byteLength;
      if (total > DRAIN_LIMIT_BYTES) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    return false;
  }
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  startClassCast().catch((error: unknown) => {
    // The build's ConfigError is a class of another module graph: recognise it by name.
    if (error instanceof Error && error.name === 'ConfigError') {
      console.error(error.message);
    } else {
      console.error('ClassCast failed to start:', error);
    }
    process.exit(1);
  });
}
