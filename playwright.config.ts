import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const BACKEND = process.env.E2E_BACKEND ?? 'postgres';
const baseURL = `http://127.0.0.1:${PORT}`;

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

export default defineConfig({
  testDir: process.env.E2E_DIR ?? 'e2e',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    headless: true,
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: `js`, testMatch: /.*\.flow\.spec\.ts/, use: { javaScriptEnabled: true } },
    { name: `no-js`, testMatch: /.*\.flow\.spec\.ts/, use: { javaScriptEnabled: false } },
    { name: `api`, testMatch: /.*\.api\.spec\.ts/ },
  ],
  webServer: {
    command: 'npx tsx scripts/e2e-server.ts',
    url: `${baseURL}/healthz`,
    env: { PORT: String(PORT), E2E_BACKEND: BACKEND },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  metadata: { backend: BACKEND },
});
