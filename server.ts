/**
 * Express entry: security headers, static files, the Remix handler, graceful shutdown.
 * `tsx server.ts` in development and production (see scripts/start.ts for `npm start`).
 *
 * Everything of the app's own — configuration, the service container — is asked of the
 * Remix build (app/entry.server.tsx), so there is one copy of each module in the process
 * (docs/decisions/007-container-inside-the-build.md).
 */
import { createRequestHandler } from '@remix-run/express';
import { broadcastDevReady, installGlobals, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerEntry } from '~/entry.server';

installGlobals({ nativeFetch: true });

const BUILD_PATH = path.resolve('build/index.js');

async function loadBuild(fresh: boolean): Promise<{ build: ServerBuild; entry: ServerEntry }> {
  // A query string busts Node's module cache so development picks up each rebuild.
  const url = pathToFileURL(BUILD_PATH).href;
  const build = (await import(fresh ? `${url}?t=${Date.now()}` : url)) as ServerBuild;
  return { build, entry: build.entry.module as unknown as ServerEntry };
}

export async function startServer() {
  let { build, entry } = await loadBuild(false);
  const cfg = entry.config();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', cfg.TRUST_PROXY);

  // The port is bound first (PORT=0 picks one) so the container knows the app's origin;
  // until the container is ready every request waits for it.
  const server = app.listen(cfg.PORT, cfg.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : cfg.PORT;
  let container = await entry.startContainer(port).catch((error: unknown) => {
    server.close();
    throw error;
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Remix hydrates from inline module scripts; no third-party scripts are allowed.
          'script-src': ["'self'", "'unsafe-inline'"],
          'connect-src': ["'self'", ...container.browserOrigins],
          'media-src': ["'self'", 'blob:', ...container.browserOrigins],
          'img-src': ["'self'", 'data:', 'blob:', ...container.browserOrigins],
          'form-action': ["'self'", ...container.browserOrigins],
          'frame-ancestors': cfg.FRAME_ANCESTORS.split(' ').filter(Boolean),
          'upgrade-insecure-requests': null,
        },
      },
      // frame-ancestors above governs embedding (LMS iframes); X-Frame-Options cannot list origins.
      frameguard: false,
      crossOriginEmbedderPolicy: false,
      // helmet's default, no-referrer, makes Chromium send `Origin: null` on plain form
      // posts, which Remix's CSRF check rejects: JS-off forms would all fail.
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      strictTransportSecurity: entry.config().appUrl.startsWith('https://'),
    }),
  );
  app.use(compression());
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  app.use(express.static('public', { maxAge: '1h' }));

  const handler = (req: express.Request, res: express.Response, next: express.NextFunction) =>
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: () => entry.loadContext(req.ip ?? 'unknown'),
    })(req, res, next);
  app.all('*', handler);

  if (!cfg.isProduction) {
    await broadcastDevReady(build);
    const { watch } = await import('node:fs');
    watch(path.dirname(BUILD_PATH), async (_event, file) => {
      if (file !== 'index.js') return;
      ({ build, entry } = await loadBuild(true));
      // The rebuilt bundle reconnects its own clients to the stand-ins already running.
      container = await entry.startContainer(port);
      await broadcastDevReady(build);
    });
  }

  printBanner(entry.config().appUrl, container.description, container.demoLogins);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received: shutting down…`);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await container.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { server, container };
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

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  startServer().catch((error: unknown) => {
    // The build's ConfigError is a class of another module graph: recognise it by name.
    if (error instanceof Error && error.name === 'ConfigError') {
      console.error(error.message);
    } else {
      console.error('ClassCast failed to start:', error);
    }
    process.exit(1);
  });
}
