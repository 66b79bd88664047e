/**
 * DynamoDB clients and the small helpers every repository file shares:
 * error classification (conditional failures, transaction conflicts, throttling), retries,
 * id guards and batched reads.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DataStoreBusyError, DataStoreUnavailableError, UNREACHABLE_SOCKET_CODES, errorChain } from '../errors';
import { systemClock, type Clock } from '../repository';
import { tableNamesFor, type TableNames } from './tables';

export interface DynamoOptions {
  /** e.g. http://127.0.0.1:8000 for DynamoDB Local; omit for AWS. */
  endpoint?: string;
  region: string;
  /** `classcast-` in every real deployment; tests use a unique prefix per run. */
  tablePrefix: string;
  /** Omit to use the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Called with every command sent (e.g. "QueryCommand") and its latency: how tests prove a page's call count. */
  onCommand?: (command: string, durationMs?: number) => void;
  /** The clock every written timestamp comes from (the services' `now`). */
  now?: Clock;
  /** Tries per request, the first included (default DYNAMO_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/**
 * Throttled and transient requests are retried by the SDK's own standard strategy, not by a
 * loop of ours: 3 tries in all, full-jitter exponential backoff (in the installed SDK a
 * throttle waits a random 0–1 s, then 0–2 s; other transient errors start from 50 ms), and
 * the SDK's retry quota, which stops retrying when most requests fail so a throttled table is
 * not hammered harder. More tries would keep a web request waiting 7 s and longer. What is
 * still throttled after that is a DataStoreBusyError (503 with Retry-After). See
 * docs/decisions/022-dynamodb-proof-and-throttling.md.
 */
export const DYNAMO_MAX_ATTEMPTS = 3;
const DYNAMO_RETRY_MODE = 'standard';

/** Per attempt; the SDK retries transient network failures within DYNAMO_MAX_ATTEMPTS. */
export const DYNAMO_TIMEOUTS = { connectMs: 3_000, requestMs: 10_000 };

/** The endpoint did not answer: refused, reset, timed out (the SDK's TimeoutError included). */
export function unreachableReason(err: unknown): string | null {
  for (const link of errorChain(err)) {
    if (typeof link !== 'object' || link === null) continue;
    const { code, name } = link as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && UNREACHABLE_SOCKET_CODES.has(code)) return code;
    if (name === 'TimeoutError') return 'timed out';
  }
  return null;
}

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

export interface DynamoContext {
  base: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  now: Clock;
  /** outbox.onWrite listeners of this adapter instance (called after commits that wrote outbox items). */
  outboxListeners: Set<() => void>;
}

export function createContext(opts: DynamoOptions): DynamoContext {
  const base = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: opts.maxAttempts ?? DYNAMO_MAX_ATTEMPTS,
    retryMode: DYNAMO_RETRY_MODE,
    // Bounded waits: an endpoint that does not answer fails the request (after the SDK's
    // retries) as DataStoreUnavailableError instead of holding it open.
    requestHandler: { connectionTimeout: DYNAMO_TIMEOUTS.connectMs, requestTimeout: DYNAMO_TIMEOUTS.requestMs },
  });
  // Inside the SDK's retry step: a transaction cancelled only for throttling is a throttle
  // like any other (the SDK itself treats every cancelled transaction as final).
  base.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (isThrottledTransaction(err)) Object.assign(err as object, { $retryable: { throttling: true } });
        throw err;
      }
    },
    { step: 'finalizeRequest', name: 'classcastThrottledTransactionsRetry' },
  );
  // Outside every retry: throttling that outlasted them becomes the port's own error.
  base.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (isThrottled(err)) throw new DataStoreBusyError(operationOf(context.commandName), { cause: err });
        const unreachable = unreachableReason(err);
        if (unreachable) throw new DataStoreUnavailableError(unreachable, { cause: err });
        throw err;
      }
    },
    { step: 'initialize', name: 'classcastThrottlingAsBusy' },
  );
  const onCommand = opts.onCommand;
  if (onCommand) {
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          onCommand(context.commandName ?? 'unknown', performance.now() - started);
        }
      },
      { step: 'initialize', name: 'classcastCommandCounter' },
    );
  }
  const doc = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    base,
    doc,
    tables: tableNamesFor(opts.tablePrefix),
    now: opts.now ?? systemClock,
    outboxListeners: new Set(),
  };
}

/** An item as the DocumentClient reads and writes it. */
export type Item = Record<string, unknown>;

function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { name?: string }).name : undefined;
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

/**
 * For a TransactionCanceledException: the per-item reason codes, in request order
 * ('None', 'ConditionalCheckFailed', 'TransactionConflict', ...). Otherwise null.
 */
export function cancellationCodes(err: unknown): string[] | null {
  if (errorName(err) !== 'TransactionCanceledException') return null;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

const operationOf = (commandName: string | undefined) => (commandName ?? 'unknown').replace(/Command$/, '');

/**
 * Cancelled because items were throttled, and for nothing else: a failed condition among the
 * reasons is a real answer the caller must see.
 */
function isThrottledTransaction(err: unknown): boolean {
  const codes = cancellationCodes(err);
  return codes !== null && codes.includes('ThrottlingError') && !codes.includes('ConditionalCheckFailed');
}

function isThrottled(err: unknown): boolean {
  return THROTTLING_ERRORS.has(errorName(err) ?? '') || isThrottledTransaction(err);
}

/** Another transaction touched the same item at the same moment: safe to try again. */
function isRetryableConflict(err: unknown): boolean {
  if (errorName(err) === 'TransactionConflictException') return true;
  const codes = cancellationCodes(err);
  return codes !== null && codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function backoff(attempt: number): number {
  const cap = Math.min(1000, 10 * 2 ** attempt);
  return cap / 2 + Math.random() * (cap / 2);
}

/**
 * Runs a write, retrying (with jittered backoff) only while it loses to a concurrent
 * transaction on the same item. Condition failures and everything else surface at once.
 */
export async function retryOnConflict<T>(write: () => Promise<T>, maxAttempts = 10): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isRetryableConflict(err) || attempt + 1 >= maxAttempts) throw err;
      await sleep(backoff(attempt));
    }
  }
}

/**
 * Ids are ULIDs; anything empty, huge or containing '#' (our claim-item prefixes) can never
 * name a real item, and would otherwise be a ValidationException or reach a claim item.
 */
export function isPlausibleId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 256 && !id.includes('#');
}

/**
 * Strongly consistent BatchGetItem: chunks of 100 keys, UnprocessedKeys retried with
 * backoff. One round trip per 100 keys in the normal case.
 */
export async function batchGet(ctx: DynamoContext, table: string, keys: Item[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Item[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        // DynamoDB leaves keys unprocessed when it throttles the read.
        if (attempt >= 10) throw new DataStoreBusyError('BatchGetItem');
        await sleep(backoff(attempt));
      }
      const out = await ctx.doc.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...((out.Responses?.[table] as Item[] | undefined) ?? []));
      pending = (out.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
    }
  }
  return found;
}

export interface SetClauses {
  clauses: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * SET clauses for the defined fields of a patch, with aliased names and values (`#field`,
 * `:field`: a condition must not reuse those aliases for other values).
 */
export function buildSet(fields: Record<string, unknown>): SetClauses {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    clauses.push(`#${field} = :${field}`);
  }
  return { clauses, names, values };
}

export interface ConditionalUpdate {
  table: string;
  key: Item;
  /** Fields to SET; undefined ones are left as they are. */
  set?: Record<string, unknown>;
  /** SET clauses beyond plain fields (e.g. copying one attribute into another), over `names`. */
  extraSet?: string[];
  /** Aliases (from `names`) of attributes to REMOVE. */
  remove?: string[];
  /** Must hold for the write to happen (existence, entity, an expected generation...). */
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * The one conditional UpdateItem: SET/REMOVE built from the patch, retried on transaction
 * conflicts, answering the item as written — or null when the condition failed, which each
 * caller turns into its meaning (not found, a stale generation, re-read and try again).
 */
export async function updateIf(ctx: DynamoContext, u: ConditionalUpdate): Promise<Item | null> {
  const set = buildSet(u.set ?? {});
  const clauses = [...set.clauses, ...(u.extraSet ?? [])];
  const expression = [
    clauses.length ? `SET ${clauses.join(', ')}` : '',
    u.remove?.length ? `REMOVE ${u.remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  try {
    const out = await retryOnConflict(() =>
      ctx.doc.send(
        new UpdateCommand({
          TableName: u.table,
          Key: u.key,
          UpdateExpression: expression,
          ConditionExpression: u.condition,
          ExpressionAttributeNames: { ...set.names, ...u.names },
          ExpressionAttributeValues: { ...set.values, ...u.values },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out.Attributes as Item;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return null;
    throw err;
  }
}

/**
 * A TransactWriteItems entry that only checks that an item of `entity` exists at `key`
 * (a parent course or user), without writing it: referential checks without contention.
 */
export function entityExists(tableName: string, key: Item, entity: string) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: key,
      ConditionExpression: '#entity = :entity',
      ExpressionAttributeNames: { '#entity': 'entity' },
      ExpressionAttributeValues: { ':entity': entity },
    },
  };
}
