/**
 * What a test run sent to DynamoDB, by operation, and the one rule every run keeps: nothing
 * that reads a whole table. Used on both sides of the wire: the SDK's command names
 * (`ScanCommand`, from `DynamoOptions.onCommand`) in unit and contract tests, and the
 * X-Amz-Target operations the stand-in received (`Scan`) in the Playwright run.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Scan reads the table whatever its size. A PartiQL statement may do the same (a SELECT
 * without its key condition is a Scan), and its name cannot say which, so it is refused too.
 */
const FULL_TABLE_READS = new Set(['Scan', 'ExecuteStatement', 'BatchExecuteStatement']);

/** `ScanCommand` and `DynamoDB_20120810.Scan` are both the operation `Scan`. */
export function operationName(name: string): string {
  return name.replace(/^.*\./, '').replace(/Command$/, '');
}

export interface OperationLog {
  /** Pass as `onCommand` (DynamoOptions) to every adapter or context a test builds. */
  record: (name: string) => void;
  /** Records what a plain SDK client sends (the admin client that creates tables, say). */
  watch(client: DynamoDBClient): DynamoDBClient;
  /** Every name recorded, in order, never cleared. */
  readonly names: readonly string[];
  /** The names recorded while `run` ran. */
  during<T>(run: () => Promise<T>): Promise<{ result: T; names: string[] }>;
  /** Totals by name, as recorded. */
  byName(): Record<string, number>;
}

export function operationLog(): OperationLog {
  const names: string[] = [];
  const record = (name: string) => void names.push(name);
  return {
    record,
    watch(client) {
      client.middlewareStack.add(
        (next, context) => (args) => {
          record(context.commandName ?? 'unknown');
          return next(args);
        },
        { step: 'initialize', name: 'classcastOperationLog' },
      );
      return client;
    },
    names,
    async during(run) {
      const from = names.length;
      const result = await run();
      return { result, names: names.slice(from) };
    },
    byName: () => countByName(names),
  };
}

export function countByName(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** One line per operation, most sent first: what a run's report shows. */
export function formatTotals(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, count]) => `  ${name.padEnd(28)} ${count}`)
    .join('\n');
}

/**
 * Throws unless `counts` holds at least `minimum` operations (a recorder that saw nothing
 * proves nothing) and none of them reads a whole table.
 */
export function assertNoScan(counts: Record<string, number>, what: string, minimum = 1): void {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total < minimum) {
    throw new Error(`${what}: only ${total} DynamoDB operations were recorded (expected at least ${minimum})`);
  }
  const forbidden = Object.entries(counts).filter(([name]) => FULL_TABLE_READS.has(operationName(name)));
  if (forbidden.length > 0) {
    const list = forbidden.map(([name, count]) => `${name} × ${count}`).join(', ');
    throw new Error(`${what}: full-table reads were sent: ${list}\n${formatTotals(counts)}`);
  }
}
