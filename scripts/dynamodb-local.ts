/**
 * `npm run dynamo:local -- [--port 8000] [--data-dir DIR]`: the local DynamoDB
 * (tools/dynamodb-local: dynalite with transactions and streams) in the foreground.
 * --port 0 picks a free port; the endpoint is printed either way. Without --data-dir the
 * data lives in memory. Ctrl-C / SIGTERM stops it after pending writes have landed.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../tools/dynamodb-local';

const USAGE = 'usage: npm run dynamo:local -- [--port 8000] [--data-dir DIR]';

function parsePort(value: string | undefined): number {
  const port = value === undefined ? 8000 : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, got '${value}'\n${USAGE}`);
  return port;
}

async function main() {
  let values: { port?: string; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  const port = parsePort(values.port);
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : undefined;
  const local = await startDynamoDbLocal({ port, dataDir });
  console.log(
    `Local DynamoDB (${dataDir ? `data in ${dataDir}` : 'in memory'}) at ${local.endpoint} — Ctrl-C to stop.`,
  );
  console.log(`  DYNAMODB_ENDPOINT=${local.endpoint} tsx scripts/create-tables.ts`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      local.stop().then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
