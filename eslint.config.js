import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['build/**', 'public/build/**', 'generated/**', 'node_modules/**', '.data/**', 'playwright-report/**', 'test-results/**', '.cache/**'],
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
  {
    // Layering (ARCHITECTURE.md): routes, components and services never touch a vendor SDK.
    files: ['app/routes/**', 'app/components/**', 'app/services/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@prisma/*', '@aws-sdk/*', 'pg', '@electric-sql/*', '**/generated/prisma/*'], message: 'Go through app/data or app/storage.' },
          ],
        },
      ],
    },
  },
  {
    files: ['app/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*.server', '*.server.ts', '~/**/*.server'], message: 'Components never import server modules.' }] },
      ],
    },
  },
  {
    files: ['e2e/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
