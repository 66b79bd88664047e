/**
 * TransactWriteItems and TransactGetItems on top of dynalite.
 *
 * A write transaction: validate every item with dynalite's own request validation; lock all
 * its items (dynalite's per-item locks, the ones single-item writes take); read them; evaluate
 * every condition and compute every new item (updates run through dynalite's updateItem against
 * a scratch store, so update-expression semantics are dynalite's); only if nothing failed,
 * write items, index entries and stream records in one LevelDB batch. So either all of it is
 * visible or none of it, even across a crash of an on-disk store.
 */
import { createHash } from 'node:crypto';
import {
  actions,
  call,
  dynaliteDb,
  indexKeyPrefix,
  isServiceError,
  itemKeyPrefix,
  requestValidations,
  serviceError,
  validateRequest,
  validationError,
  type Item,
  type LevelOperation,
  type Store,
  type SubDb,
  type Table,
} from './dynalite-internals';
import { type ExtendedStore } from './store-hooks';
import { type ItemChange } from './stream-log';

const MAX_TRANSACTION_ITEMS = 100;
const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

type Kind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const KINDS: Kind[] = ['ConditionCheck', 'Put', 'Update', 'Delete'];

interface Operation {
  kind: Kind | 'Get';
  table: Table;
  key: string;
  request: Record<string, unknown>;
  returnOldOnFailure: boolean;
}

interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

const EXPRESSION_FIELDS = ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'];

function pick(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function transactItemsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const items = body.TransactItems;
  if (items == null) {
    throw validationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(items))
    throw serviceError('SerializationException', 'Unexpected value type in payload: TransactItems');
  if (items.length < 1 || items.length > MAX_TRANSACTION_ITEMS) {
    throw validationError(
      `1 validation error detected: Value '[${items.length} items]' at 'transactItems' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS} and greater than or equal to 1`,
    );
  }
  if (!items.every(isObject))
    throw serviceError('SerializationException', 'Unexpected value type in payload: TransactItems');
  return items;
}

function returnOldOnFailure(request: Record<string, unknown>): boolean {
  const value = request.ReturnValuesOnConditionCheckFailure;
  if (value === undefined || value === 'NONE') return false;
  if (value === 'ALL_OLD') return true;
  throw validationError(
    `1 validation error detected: Value '${String(value)}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
  );
}

function invalidIf(err: unknown) {
  if (err) throw err;
}

export function createTransactions(ext: ExtendedStore) {
  const { store } = ext;
  const committedTokens = new Map<string, { fingerprint: string; at: number }>();

  async function prepareWrite(entry: Record<string, unknown>): Promise<Operation> {
    const present = KINDS.filter((kind) => entry[kind] !== undefined);
    if (present.length !== 1 || Object.keys(entry).length !== 1 || !isObject(entry[present[0]])) {
      throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
    }
    const kind = present[0];
    const raw = entry[kind] as Record<string, unknown>;
    const returnOld = returnOldOnFailure(raw);
    let request: Record<string, unknown>;
    if (kind === 'Put') {
      request = validateRequest(
        requestValidations.putItem,
        pick(raw, ['TableName', 'Item', ...EXPRESSION_FIELDS]),
        store,
      );
    } else if (kind === 'Update') {
      if (typeof raw.UpdateExpression !== 'string')
        throw validationError('Update expression must be specified for an Update in a transaction');
      request = validateRequest(
        requestValidations.updateItem,
        pick(raw, ['TableName', 'Key', 'UpdateExpression', ...EXPRESSION_FIELDS]),
        store,
      );
    } else {
      if (kind === 'ConditionCheck' && typeof raw.ConditionExpression !== 'string') {
        throw validationError('Condition expression must be specified for a ConditionCheck in a transaction');
      }
      request = validateRequest(
        requestValidations.deleteItem,
        pick(raw, ['TableName', 'Key', ...EXPRESSION_FIELDS]),
        store,
      );
    }
    const table = await ext.activeTable(request.TableName as string);
    if (kind === 'Put') {
      invalidIf(dynaliteDb.validateItem(request.Item as Item, table));
    } else {
      invalidIf(dynaliteDb.validateKey(request.Key as Item, table));
      if (kind === 'Update') invalidIf(dynaliteDb.validateUpdates(undefined, request._updates, table));
    }
    const key = dynaliteDb.createKey((request.Item ?? request.Key) as Item, table);
    return { kind, table, key, request, returnOldOnFailure: returnOld };
  }

  async function prepareGet(entry: Record<string, unknown>): Promise<Operation> {
    if (!isObject(entry.Get) || Object.keys(entry).length !== 1) {
      throw validationError('TransactItems can only contain Get operations in TransactGetItems');
    }
    const request = validateRequest(
      requestValidations.getItem,
      pick(entry.Get, ['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames']),
      store,
    );
    const table = await ext.activeTable(request.TableName as string);
    invalidIf(dynaliteDb.validateKey(request.Key as Item, table));
    invalidIf(
      dynaliteDb.validateKeyPaths((request._projection as { nestedPaths?: unknown } | undefined)?.nestedPaths, table),
    );
    return {
      kind: 'Get',
      table,
      key: dynaliteDb.createKey(request.Key as Item, table),
      request,
      returnOldOnFailure: false,
    };
  }

  /** Items are prepared one after another so a validation error names the first bad item. */
  async function prepareAll(
    items: Record<string, unknown>[],
    prepare: (entry: Record<string, unknown>) => Promise<Operation>,
  ) {
    const operations: Operation[] = [];
    for (const entry of items) operations.push(await prepare(entry));
    const seen = new Set<string>();
    for (const op of operations) {
      const id = `${op.table.TableName}\u0000${op.key}`;
      if (seen.has(id)) throw validationError('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    }
    return operations;
  }

  /**
   * Takes every item's lock. All of one transaction's lock requests are queued in the same
   * synchronous step (tables and keys in sorted order), so any two transactions queue in the
   * same order on every item they share: nothing can wait in a cycle, hence no deadlock.
   */
  function lockAll(operations: Operation[]): Promise<() => void> {
    const byTable = new Map<string, Set<string>>();
    for (const op of operations) {
      const keys = byTable.get(op.table.TableName) ?? new Set<string>();
      keys.add(op.key);
      byTable.set(op.table.TableName, keys);
    }
    const groups: [SubDb, string[]][] = [...byTable.keys()]
      .sort()
      .map((name) => [store.getItemDb(name), [...byTable.get(name)!].sort()]);
    return new Promise((resolve) => {
      const releases: (() => void)[] = [];
      let waiting = groups.length;
      for (const [itemDb, keys] of groups) {
        itemDb.lock(keys, (release) => {
          releases.push(release(() => {}));
          if (--waiting === 0) resolve(() => releases.forEach((releaseOne) => releaseOne()));
        });
      }
    });
  }

  async function withLocks<T>(operations: Operation[], work: () => Promise<T>): Promise<T> {
    const release = await lockAll(operations);
    try {
      return await work();
    } finally {
      release();
    }
  }

  const readItem = async (op: Operation) =>
    ((await store.db.get(itemKeyPrefix(op.table.TableName) + op.key)) as Item | undefined) ?? null;

  /** dynalite's updateItem, run against a one-item scratch store: the new item, or its error. */
  async function computeUpdate(op: Operation, existing: Item | null): Promise<Item> {
    let written: Item | undefined;
    const scratchItems: SubDb = {
      lock: (_key, exec) => exec((done) => done),
      get: (_key, cb) => setImmediate(cb, null, existing ? structuredClone(existing) : undefined),
      put: (_key, value, cb) => {
        written = value as Item;
        setImmediate(cb, null);
      },
      del: (_key, cb) => setImmediate(cb, null),
    };
    const noIndexes: SubDb = { ...scratchItems, put: (_key, _value, cb) => setImmediate(cb, null) };
    const scratch: Store = {
      ...store,
      getTable: ((_name: string, ...rest: unknown[]) =>
        (rest[rest.length - 1] as (e: null, t: Table) => void)(null, op.table)) as Store['getTable'],
      getItemDb: () => scratchItems,
      getIndexDb: () => noIndexes,
    };
    await call((cb) => actions.updateItem(scratch, { ...op.request, ReturnValues: 'NONE' }, cb));
    return written!;
  }

  function indexOperations(op: Operation, oldItem: Item | null, newItem: Item | null): LevelOperation[] {
    const ops: LevelOperation[] = [];
    for (const indexType of ['Local', 'Global'] as const) {
      const indexes = op.table[`${indexType}SecondaryIndexes`] ?? [];
      const { puts, deletes } = dynaliteDb.getIndexActions(indexes, oldItem, newItem, op.table);
      for (const d of deletes)
        ops.push({ type: 'del', key: indexKeyPrefix(indexType, op.table.TableName, d.index) + d.key });
      for (const p of puts)
        ops.push({ type: 'put', key: indexKeyPrefix(indexType, op.table.TableName, p.index) + p.key, value: p.item });
    }
    return ops;
  }

  function fingerprintOf(body: Record<string, unknown>): string {
    return createHash('sha256').update(JSON.stringify(body.TransactItems)).digest('hex');
  }

  /** True when this token already committed these same items (within the window). */
  function alreadyCommitted(token: string | undefined, fingerprint: string): boolean {
    if (token === undefined) return false;
    const now = Date.now();
    for (const [t, entry] of committedTokens) if (now - entry.at > IDEMPOTENCY_WINDOW_MS) committedTokens.delete(t);
    const previous = committedTokens.get(token);
    if (!previous) return false;
    if (previous.fingerprint !== fingerprint) {
      throw serviceError(
        'IdempotentParameterMismatchException',
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
    return true;
  }

  function clientToken(body: Record<string, unknown>): string | undefined {
    const token = body.ClientRequestToken;
    if (token === undefined) return undefined;
    if (typeof token !== 'string' || token.length < 1 || token.length > 36) {
      throw validationError(
        "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36 and greater than or equal to 1",
      );
    }
    return token;
  }

  async function transactWriteItems(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const items = transactItemsOf(body);
    const token = clientToken(body);
    const operations = await prepareAll(items, prepareWrite);
    const fingerprint = fingerprintOf(body);
    if (alreadyCommitted(token, fingerprint)) return {};

    return withLocks(operations, async () => {
      // Checked again under the locks: a duplicate sent concurrently waits here for the first.
      if (alreadyCommitted(token, fingerprint)) return {};
      const existing = await Promise.all(operations.map(readItem));
      const reasons: CancellationReason[] = [];
      const newItems: (Item | null)[] = [];
      for (const [i, op] of operations.entries()) {
        const oldItem = existing[i];
        let newItem: Item | null = oldItem;
        let failure: unknown = null;
        if (op.kind === 'Update') {
          newItem = await computeUpdate(op, oldItem).catch((err: unknown) => ((failure = err), null));
        } else {
          failure = dynaliteDb.checkConditional(op.request, oldItem ?? undefined);
          if (op.kind === 'Put') newItem = op.request.Item as Item;
          if (op.kind === 'Delete') newItem = null;
        }
        newItems.push(newItem);
        reasons.push(reasonFor(failure, op, oldItem));
      }
      if (reasons.some((r) => r.Code !== 'None')) {
        throw serviceError(
          'TransactionCanceledException',
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          { CancellationReasons: reasons },
        );
      }
      const ops: LevelOperation[] = [];
      const changes: ItemChange[] = [];
      for (const [i, op] of operations.entries()) {
        if (op.kind === 'ConditionCheck') continue;
        const itemKey = itemKeyPrefix(op.table.TableName) + op.key;
        ops.push(...indexOperations(op, existing[i], newItems[i]));
        ops.push(newItems[i] ? { type: 'put', key: itemKey, value: newItems[i] } : { type: 'del', key: itemKey });
        changes.push({ table: op.table, oldItem: existing[i], newItem: newItems[i] });
      }
      await ext.streams.commit(ops, changes);
      if (token !== undefined) committedTokens.set(token, { fingerprint, at: Date.now() });
      return {};
    });
  }

  function reasonFor(failure: unknown, op: Operation, oldItem: Item | null): CancellationReason {
    if (!failure) return { Code: 'None' };
    if (!isServiceError(failure)) throw failure;
    if (failure.body.__type.endsWith('#ConditionalCheckFailedException')) {
      const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
      if (op.returnOldOnFailure && oldItem) reason.Item = oldItem;
      return reason;
    }
    return { Code: 'ValidationError', Message: failure.body.message ?? failure.message };
  }

  async function transactGetItems(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const operations = await prepareAll(transactItemsOf(body), prepareGet);
    // Under the write locks, so the items are read as of one moment between transactions.
    const responses = await withLocks(operations, () =>
      Promise.all(
        operations.map((op) => call<Record<string, unknown>>((cb) => actions.getItem(store, op.request, cb))),
      ),
    );
    return { Responses: responses.map((r) => (r.Item ? { Item: r.Item } : {})) };
  }

  return { transactWriteItems, transactGetItems };
}
