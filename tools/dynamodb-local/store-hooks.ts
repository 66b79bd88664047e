/**
 * The seam between dynalite and our additions. dynalite builds its store inside dynalite(); we
 * receive it by wrapping `db.create` for that one synchronous call, then hook two places:
 *  - every item sub-database's put/del (dynalite's single-item and batch writes end there, under
 *    the per-item lock they already hold) now commits through the StreamLog, so they produce
 *    stream records and queue behind transactional commits;
 *  - the table sub-database's put attaches the stream settings CreateTable asked for (dynalite's
 *    request validation drops StreamSpecification).
 * Transactions take the very same per-item locks (SubDb.lock), so a PutItem racing a
 * transaction waits for it instead of interleaving.
 */
import type http from 'node:http';
import {
  call,
  createDynalite,
  dynaliteDb,
  itemKeyPrefix,
  type Item,
  type StreamSpecification,
  type Store,
  type SubDb,
  type Table,
} from './dynalite-internals';
import { StreamLog } from './stream-log';

export interface ExtendedStore {
  store: Store;
  streams: StreamLog;
  /** An ACTIVE table, or ResourceNotFoundException as DynamoDB answers it. */
  activeTable(name: string): Promise<Table>;
  /** Called for a CreateTable that enables a stream, before dynalite stores the table. */
  expectStream(tableName: string, spec: StreamSpecification): void;
  forgetStream(tableName: string): void;
}

export function createHookedDynalite(options: Record<string, unknown>): {
  dynaliteServer: http.Server;
  ext: ExtendedStore;
} {
  let captured: Store | undefined;
  const originalCreate = dynaliteDb.create;
  dynaliteDb.create = (opts) => (captured = originalCreate(opts));
  let dynaliteServer: http.Server;
  try {
    dynaliteServer = createDynalite(options);
  } finally {
    dynaliteDb.create = originalCreate;
  }
  if (!captured) throw new Error('dynalite did not create its store through db.create (has its layout changed?)');
  const store = captured;
  const streams = new StreamLog(store.db, store.tableDb.awsRegion);
  const pendingStreams = new Map<string, StreamSpecification>();

  const tablePut = store.tableDb.put.bind(store.tableDb);
  store.tableDb.put = (key, value, cb) => {
    const table = value as Table;
    // dynalite flips CREATING → ACTIVE in a later, separate write; a request arriving in
    // between would get ResourceNotFoundException. Like DynamoDB Local, be ACTIVE at once.
    if (table.TableStatus === 'CREATING' && store.options.createTableMs === 0) {
      table.TableStatus = 'ACTIVE';
      for (const index of table.GlobalSecondaryIndexes ?? [])
        (index as { IndexStatus?: string }).IndexStatus = 'ACTIVE';
    }
    const spec = pendingStreams.get(key);
    if (spec && !table.LatestStreamArn) {
      const label = new Date(table.CreationDateTime * 1000).toISOString().replace(/Z$/, '');
      table.StreamSpecification = spec;
      table.LatestStreamLabel = label;
      table.LatestStreamArn = `${table.TableArn}/stream/${label}`;
      pendingStreams.delete(key);
    }
    tablePut(key, table, cb);
  };

  const tableOf = (name: string) => call<Table>((cb) => store.getTable(name, false, cb));
  const hooked = new WeakSet<SubDb>();
  const getItemDb = store.getItemDb.bind(store);
  store.getItemDb = (tableName) => {
    const itemDb = getItemDb(tableName);
    if (hooked.has(itemDb)) return itemDb;
    hooked.add(itemDb);
    const prefix = itemKeyPrefix(tableName);
    const write = async (key: string, newItem: Item | null) => {
      const [table, oldItem] = await Promise.all([tableOf(tableName), store.db.get(prefix + key)]);
      const op = newItem
        ? { type: 'put' as const, key: prefix + key, value: newItem }
        : { type: 'del' as const, key: prefix + key };
      await streams.commit([op], [{ table, oldItem: (oldItem as Item | undefined) ?? null, newItem }]);
    };
    itemDb.put = (key, value, cb) => void write(key, value as Item).then(() => cb(null), cb);
    itemDb.del = (key, cb) => void write(key, null).then(() => cb(null), cb);
    return itemDb;
  };

  return {
    dynaliteServer,
    ext: {
      store,
      streams,
      activeTable: (name) => call<Table>((cb) => store.getTable(name, cb)),
      expectStream: (tableName, spec) => pendingStreams.set(tableName, spec),
      forgetStream: (tableName) => pendingStreams.delete(tableName),
    },
  };
}
