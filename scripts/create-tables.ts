/**
 * Creates the classcast-* DynamoDB tables that are missing (idempotent; see docs/dynamodb.md).
 *
 *   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 tsx scripts/create-tables.ts   # DynamoDB Local
 *   AWS_REGION=eu-west-1 tsx scripts/create-tables.ts                      # AWS, default credentials
 *
 * Env: DYNAMODB_ENDPOINT (omit for AWS), AWS_REGION (default us-east-1),
 * DYNAMODB_TABLE_PREFIX (default classcast-), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * (with an endpoint and no keys, DynamoDB Local dummy keys are used).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_TABLE_PREFIX, ensureTables } from '../app/data/dynamo/tables';

async function main() {
  const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  const region = process.env.AWS_REGION || 'us-east-1';
  const prefix = process.env.DYNAMODB_TABLE_PREFIX || DEFAULT_TABLE_PREFIX;
  const hasKeys = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
  const client = new DynamoDBClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(endpoint && !hasKeys ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  console.log(`Ensuring tables ${prefix}* on ${endpoint ?? `AWS ${region}`} ...`);
  try {
    const result = await ensureTables(client, prefix);
    const list = (names: string[]) => (names.length ? names.sort().join(', ') : 'none');
    console.log(`  created:         ${list(result.created)}`);
    console.log(`  already existed: ${list(result.existing)}`);
    console.log(`  indexes added:   ${list(result.indexesAdded)}`);
    console.log(`  TTL enabled:     ${list(result.ttlEnabled)}`);
  } finally {
    client.destroy();
  }
}

main().catch((err) => {
  console.error(`create-tables failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
