import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layer picture of ARCHITECTURE.md as import bans. In a flat config the last block that
 * sets a rule wins for a file, so each layer gets exactly ONE `no-restricted-imports` block
 * holding all of its bans (app/lint-layers.test.ts proves each ban fires).
 */
const vendorSdks = {
  group: ['@prisma/*', '@aws-sdk/*', 'pg', 'pg/*', '@electric-sql/*', '**/generated/prisma', '**/generated/prisma/*'],
  message: 'Vendor SDKs stay in app/data and app/storage: go through the repository port or VideoStorage.',
};
/** app/jobs builds DynamoDB Streams records: the SDK's pure (de)serialiser is the one exception. */
const vendorSdksButStreamImages = {
  group: [...vendorSdks.group, '!@aws-sdk/util-dynamodb'],
  message: `${vendorSdks.message} (app/jobs may use @aws-sdk/util-dynamodb for stream images.)`,
};
const dataAdapters = {
  group: [
    '~/data/prisma',
    '~/data/prisma/*',
    '~/data/dynamo',
    '~/data/dynamo/*',
    '**/data/prisma',
    '**/data/prisma/*',
    '**/data/dynamo',
    '**/data/dynamo/*',
  ],
  message: 'Routes and services use the repository port (~/data/repository), never an adapter.',
};
const serverModules = {
  group: ['*.server', '*.server.ts', '*.server.tsx', '**/*.server', '**/*.server/*'],
  message: 'Components never import server modules: pass data in through props from a loader.',
};
const serverOnlyPackages = {
  group: [
    'node:*',
    ...['fs', 'path', 'crypto', 'child_process', 'os', 'stream', 'http', 'https', 'net', 'url'],
    '@node-rs/*',
    'argon2',
    'jose',
    'remix-auth',
    'remix-auth-*',
    'rate-limiter-flexible',
    'express',
    's3rver',
    'prisma',
    '@remix-run/node',
    '@remix-run/express',
  ],
  message: 'Components run in the browser too: no Node built-ins or server-only packages.',
};
const services = {
  group: ['~/services', '~/services/*', '**/services/*'],
  message: 'app/auth is identity only and imports no service (services may import auth).',
};

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'public/build/**',
      'generated/**',
      'node_modules/**',
      '.data/**',
      'playwright-report/**',
      'test-results/**',
      '.cache/**',
      'infra/cdk.out/**',
      'infra/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // Service tests run against real adapters (PGlite, DynamoDB Local): they may build them.
  {
    files: ['app/routes/**', 'app/services/**'],
    ignores: ['**/*.test.ts'],
    rules: restrict(vendorSdks, dataAdapters),
  },
  {
    files: ['app/jobs/**'],
    // lambda.ts is a composition root (the Lambda's container): it builds the adapter.
    ignores: ['**/*.test.ts', 'app/jobs/lambda.ts'],
    rules: restrict(vendorSdksButStreamImages, dataAdapters),
  },
  {
    files: ['app/components/**'],
    ignores: ['app/components/**/*.test.*'],
    rules: restrict(vendorSdks, serverModules, serverOnlyPackages),
  },
  { files: ['app/auth/**'], rules: restrict(services) },
  {
    files: ['e2e/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
