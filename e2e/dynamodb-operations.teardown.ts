/**
 * The end of every Playwright run on DynamoDB: what the stand-in received, operation by
 * operation, over the whole run (the app, the stream poller, the specs' own setup) — printed,
 * kept as dynamodb-operations.json beside the run's results, and the run fails if any of it
 * read a whole table. Playwright runs this before it stops the web server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { assertNoScan, formatTotals } from '../tests/dynamo-operations';
import { standInUrl } from './dynamodb-stand-in';

/** Creating and checking the ten tables alone takes more: fewer means the recorder saw nothing. */
const AT_LEAST = 20;

export default async function checkDynamoDbOperations(config: FullConfig) {
  const url = standInUrl();
  if (!url) {
    console.warn('DynamoDB operations were not recorded: DYNAMODB_ENDPOINT names a server of its own.');
    return;
  }
  const res = await fetch(`${url}/__stand-in/operations`);
  if (!res.ok) throw new Error(`The DynamoDB stand-in did not report its operations (HTTP ${res.status}).`);
  const counts = (await res.json()) as Record<string, number>;
  const outputDir = config.projects[0]?.outputDir ?? 'test-results';
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(path.join(outputDir, 'dynamodb-operations.json'), `${JSON.stringify(counts, null, 2)}\n`);
  console.log(`\nDynamoDB operations the stand-in received during this run:\n${formatTotals(counts)}`);
  assertNoScan(counts, 'the Playwright run on DynamoDB', AT_LEAST);
  console.log('No Scan.');
}
