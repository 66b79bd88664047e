import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOriginsCache, securityHeaders } from './security-headers';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A page served behind the headers, as server.ts mounts them. */
async function serve(
  options: Partial<Parameters<typeof securityHeaders>[0]> & { platformOrigins: ReturnType<typeof createOriginsCache> },
) {
  const app = express();
  app.use(
    securityHeaders({
      browserOrigins: ['http://127.0.0.1:9000'],
      cognitoOrigin: null,
      frameAncestors: ["'self'"],
      strictTransportSecurity: false,
      ...options,
    }),
  );
  app.get('/', (_req, res) => res.send('ok'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server?.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async () => {
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `))
        ?.split(/\s+/)
        .slice(1) ?? [];
    return { frameAncestors: directive('frame-ancestors'), formAction: directive('form-action') };
  };
}

describe('frame-ancestors and form-action', () => {
  it("list 'self', FRAME_ANCESTORS and the registered platforms' origins, and nobody else", async () => {
    const platformOrigins = createOriginsCache(async () => ['https://canvas.example.edu', 'https://sso.example.edu']);
    await platformOrigins.refresh();
    const headers = await serve({ platformOrigins, frameAncestors: ["'self'", 'https://*.school.edu'] });
    const { frameAncestors, formAction } = await headers();
    expect(frameAncestors).toEqual([
      "'self'",
      'https://*.school.edu',
      'https://canvas.example.edu',
      'https://sso.example.edu',
    ]);
    expect(frameAncestors).not.toContain('https://moodle.example.org');
    expect(frameAncestors).not.toContain('*');
    // The deep-linking response is posted to the platform, the login redirects to it.
    expect(formAction).toEqual(
      expect.arrayContaining(["'self'", 'https://canvas.example.edu', 'https://sso.example.edu']),
    );
  });

  it('pick up a new registration in the background, without a data store trip per request', async () => {
    let registered = ['https://canvas.example.edu'];
    let loads = 0;
    let clock = 0;
    const platformOrigins = createOriginsCache(
      async () => {
        loads++;
        return registered;
      },
      { maxAgeMs: 1_000, now: () => clock },
    );
    await platformOrigins.refresh();
    const headers = await serve({ platformOrigins });
    registered = ['https://canvas.example.edu', 'https://moodle.example.org'];
    for (let i = 0; i < 5; i++) expect((await headers()).frameAncestors).not.toContain('https://moodle.example.org');
    expect(loads).toBe(1);
    clock = 1_000;
    // The stale answer goes out once more while the refresh runs; the next request has the new one.
    await headers();
    await platformOrigins.refresh();
    expect((await headers()).frameAncestors).toContain('https://moodle.example.org');
  });

  it('keep the last list when the data store is down', async () => {
    let fail = false;
    const errors: unknown[] = [];
    let clock = 0;
    const platformOrigins = createOriginsCache(
      async () => {
        if (fail) throw new Error('database down');
        return ['https://canvas.example.edu'];
      },
      { maxAgeMs: 10, now: () => clock, onError: (error) => errors.push(error) },
    );
    await platformOrigins.refresh();
    fail = true;
    clock = 100;
    const headers = await serve({ platformOrigins });
    await headers();
    await platformOrigins.refresh();
    expect((await headers()).frameAncestors).toContain('https://canvas.example.edu');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('still frame-ancestors only self when no platform is registered', async () => {
    const platformOrigins = createOriginsCache(async () => []);
    await platformOrigins.refresh();
    expect((await (await serve({ platformOrigins }))()).frameAncestors).toEqual(["'self'"]);
  });
});
