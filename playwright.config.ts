import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/**
 * A port nobody listens on, asked of the OS. Synchronous because the config is a plain
 * module; the tiny child process closes the port again before the web server takes it.
 */
function freePort(): string {
  const script =
    "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

// Playwright evaluates this file again in every worker. The main process picks the port
// once and leaves it in the environment the workers inherit, so they all agree; two runs
// on one machine pick different ports (E2E_PORT still pins one).
process.env.E2E_PORT ||= freePort();
// The local Cognito stand-in the e2e server starts (tools/oidc-local); specs talk to it too.
process.env.E2E_OIDC_PORT ||= freePort();
// The test mailbox's JSON listing of the mails the app sent (scripts/e2e-server.ts; e2e/mailbox.ts).
process.env.E2E_MAILBOX_PORT ||= freePort();
const PORT = Number(process.env.E2E_PORT);
const BACKEND = process.env.E2E_BACKEND ?? 'postgres';
const baseURL = `http://127.0.0.1:${PORT}`;
// On DynamoDB the e2e server starts the stand-in on this port, with its test hooks: the
// teardown reads every operation it received, and specs may throttle it.
if (BACKEND === 'dynamodb' && !process.env.DYNAMODB_ENDPOINT) process.env.E2E_DYNAMODB_PORT ||= freePort();
// Each run cleans only its own output folder, never a parallel run's.
const RUN = `${BACKEND}-${PORT}`;

/**
 * Debian's Chromium, never Playwright's own download (no internet here).
 * The flags keep Chromium from dialling out on a closed network.
 */
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

const FLOWS = /.*\.flow\.spec\.ts/;
/**
 * The journeys that also run on DynamoDB in the browser: signup to course, submit and grade,
 * the community and messages (most queries per page). Every API spec, the route sweep among
 * them, runs on both backends; the contract suite proves the adapters agree.
 */
const FLOWS_ON_BOTH_BACKENDS = /(accounts-and-courses|submit-and-grade|community|messaging)\.flow\.spec\.ts/;
const PHONE_PAGES = /.*\.phone\.spec\.ts/;
/** A 390 × 844 phone (the narrowest screen the pages are designed for), touch on. */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

export default defineConfig({
  testDir: process.env.E2E_DIR ?? 'e2e',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  outputDir: `test-results/${RUN}`,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: `playwright-report/${RUN}` }]] : 'list',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    headless: true,
    launchOptions: chromium,
    // A trace snapshots the DOM at every step, work that competes with the app and the browser
    // on a 2-core machine, so CI records one only for the retry of a test that failed.
    trace: process.env.CI ? 'on-first-retry' : 'retain-on-failure',
  },
  projects: [
    {
      name: `js`,
      testMatch: BACKEND === 'dynamodb' ? FLOWS_ON_BOTH_BACKENDS : FLOWS,
      use: { javaScriptEnabled: true },
    },
    // JavaScript off and a phone-sized screen change what the browser does, not what the data
    // backend does, so they run once per `npm test`, on the embedded default; the DynamoDB pass
    // runs the main journeys with JS on plus every API spec, which is where the backends differ.
    // On a phone every page is visited once (e2e/phone-width.phone.spec.ts): layout is what
    // changes there, so the flows are not repeated.
    ...(BACKEND === 'postgres'
      ? [
          { name: `no-js`, testMatch: FLOWS, use: { javaScriptEnabled: false } },
          { name: `js-phone`, testMatch: PHONE_PAGES, use: { javaScriptEnabled: true, ...PHONE } },
          { name: `no-js-phone`, testMatch: PHONE_PAGES, use: { javaScriptEnabled: false, ...PHONE } },
        ]
      : []),
    { name: `api`, testMatch: /.*\.api\.spec\.ts/ },
  ],
  webServer: {
    command: 'npx tsx scripts/e2e-server.ts',
    url: `${baseURL}/healthz`,
    env: {
      PORT: String(PORT),
      E2E_BACKEND: BACKEND,
      E2E_OIDC_PORT: process.env.E2E_OIDC_PORT,
      E2E_MAILBOX_PORT: process.env.E2E_MAILBOX_PORT,
      ...(process.env.E2E_DYNAMODB_PORT ? { E2E_DYNAMODB_PORT: process.env.E2E_DYNAMODB_PORT } : {}),
    },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  // Runs while the web server still does: fails the run if the stand-in ever received a Scan.
  globalTeardown: BACKEND === 'dynamodb' ? './e2e/dynamodb-operations.teardown.ts' : undefined,
  metadata: { backend: BACKEND },
});
