import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer bans of eslint.config.js, proved on snippets linted as if they lived in each
 * layer: every forbidden import is reported, and a legal import beside it is not.
 */
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint();
});

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const layers: Array<{ layer: string; filePath: string; forbidden: string[]; allowed: string[] }> = [
  {
    layer: 'routes',
    filePath: 'app/routes/lint-fixture.ts',
    forbidden: [
      '~/data/prisma/index',
      '~/data/prisma',
      '~/data/dynamo/index',
      '../data/dynamo/users',
      '@prisma/client',
      '@aws-sdk/client-s3',
      '@aws-sdk/lib-dynamodb',
      'pg',
      '@electric-sql/pglite',
      '../../generated/prisma/client',
    ],
    allowed: ['~/data/repository', '~/services/courses.server', '~/auth/current-user.server', 'zod'],
  },
  {
    layer: 'services',
    filePath: 'app/services/lint-fixture.server.ts',
    forbidden: ['~/data/prisma/users', '~/data/dynamo', '@prisma/client', '@aws-sdk/client-dynamodb', 'pg'],
    allowed: ['~/data/repository', '~/data/errors', '~/storage/storage', '~/auth/tokens.server'],
  },
  {
    layer: 'jobs',
    filePath: 'app/jobs/lint-fixture.ts',
    forbidden: ['~/data/prisma/index', '~/data/dynamo', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'pg'],
    allowed: ['@aws-sdk/util-dynamodb', '~/data/repository', '~/realtime/bus', 'aws-lambda'],
  },
  {
    layer: 'components',
    filePath: 'app/components/lint-fixture.tsx',
    forbidden: [
      '~/services/courses.server',
      '~/auth/session.server',
      './video-upload.server',
      '~/config.server',
      '@aws-sdk/client-s3',
      '@prisma/client',
      'pg',
      'node:fs',
      'crypto',
      '@node-rs/argon2',
      'jose',
      '@remix-run/node',
    ],
    allowed: ['~/utils/format', '~/data/repository', '@remix-run/react', './due-badge'],
  },
  {
    layer: 'auth',
    filePath: 'app/auth/lint-fixture.server.ts',
    forbidden: ['~/services/accounts.server', '~/services/context', '../services/grading.server'],
    allowed: ['~/data/repository', '~/utils/errors', './session.server', 'jose'],
  },
];

describe.each(layers)('lint guards the $layer layer', ({ filePath, forbidden, allowed }) => {
  it.each(forbidden)('reports an import of %s', async (source) => {
    const messages = await restrictedImports(filePath, `import { x } from '${source}';\nexport const y = x;\n`);
    expect(messages).toHaveLength(1);
  });

  it.each(allowed)('accepts an import of %s', async (source) => {
    const messages = await restrictedImports(filePath, `import { x } from '${source}';\nexport const y = x;\n`);
    expect(messages).toEqual([]);
  });
});

it('lets service tests build real adapters', async () => {
  const code = `import { createPrismaRepositories } from '~/data/prisma/index';\nexport const c = createPrismaRepositories;\n`;
  expect(await restrictedImports('app/services/grading.server.test.ts', code)).toEqual([]);
});

it('lets the adapters themselves use their SDKs', async () => {
  expect(
    await restrictedImports(
      'app/data/prisma/lint-fixture.ts',
      `import { Prisma } from '@prisma/client';\nexport const p = Prisma;\n`,
    ),
  ).toEqual([]);
});
