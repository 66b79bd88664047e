/**
 * The parts of dynalite 4.0.0 (plain CommonJS, no types) that the extension builds on, with
 * just enough typing to use them safely. Everything that knows dynalite's internals is here
 * and in store-hooks.ts, so an upgrade of dynalite is reviewed in two files.
 */
import { createRequire } from 'node:module';
import type http from 'node:http';

const require = createRequire(import.meta.url);

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

/** dynalite's error shape: `body` is sent as the JSON response with `statusCode`. */
export interface ServiceError extends Error {
  statusCode: number;
  body: { __type: string; message?: string; Message?: string };
}

export type Callback<T> = (err: Error | null, data?: T) => void;
type Release = <F extends (...args: never[]) => unknown>(done: F) => F;
export type LockFn = (key: string | string[], exec: (release: Release) => void) => void;

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface SecondaryIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface StreamSpecification {
  StreamEnabled: boolean;
  StreamViewType?: StreamViewType;
}

export interface Table {
  TableName: string;
  TableArn: string;
  TableStatus: string;
  CreationDateTime: number;
  KeySchema: KeySchemaElement[];
  LocalSecondaryIndexes?: SecondaryIndex[];
  GlobalSecondaryIndexes?: SecondaryIndex[];
  StreamSpecification?: StreamSpecification;
  LatestStreamArn?: string;
  LatestStreamLabel?: string;
}

export interface SubDb {
  lock: LockFn;
  get(key: string, cb: Callback<unknown>): void;
  put(key: string, value: unknown, cb: Callback<void>): void;
  del(key: string, cb: Callback<void>): void;
}

export type LevelOperation = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/** The LevelDB instance behind every sub-database (dynalite keeps them as key prefixes). */
export interface LevelDb {
  get(key: string): Promise<unknown>;
  batch(ops: LevelOperation[]): Promise<void>;
  values(opts: { gt?: string; gte?: string; lt?: string; limit?: number }): { all(): Promise<unknown[]> };
}

export interface Store {
  options: { maxItemSize: number } & Record<string, unknown>;
  db: LevelDb;
  tableDb: SubDb & { awsRegion: string; awsAccountId: string };
  getItemDb(tableName: string): SubDb;
  getIndexDb(indexType: string, tableName: string, indexName: string): SubDb;
  getTable(name: string, cb: Callback<Table>): void;
  getTable(name: string, checkStatus: boolean, cb: Callback<Table>): void;
}

/** dynalite's sub-database naming (db/index.js getSubDb): `${name}~${key}` in the one LevelDB. */
export const itemKeyPrefix = (tableName: string) => `item-${tableName}~`;
export const indexKeyPrefix = (indexType: 'Local' | 'Global', tableName: string, indexName: string) =>
  `index-${indexType.toLowerCase()}~${tableName}~${indexName}~`;

export interface IndexActions {
  puts: { index: string; key: string; item: Item }[];
  deletes: { index: string; key: string }[];
}

interface DbModule {
  create(options: Record<string, unknown>): Store;
  createKey(item: Item, table: Table): string;
  validateKey(key: Item, table: Table): ServiceError | null | undefined;
  validateItem(item: Item, table: Table): ServiceError | null | undefined;
  validateUpdates(attributeUpdates: unknown, updates: unknown, table: Table): ServiceError | null | undefined;
  validateKeyPaths(nestedPaths: unknown, table: Table): ServiceError | null | undefined;
  checkConditional(data: object, existing: Item | undefined): ServiceError | null | undefined;
  getIndexActions(indexes: SecondaryIndex[], existing: Item | null, item: Item | null, table: Table): IndexActions;
  mapPaths(paths: unknown, item: Item): Item;
  itemSize(item: Item): number;
}

interface ValidationModule {
  types: Record<string, unknown>;
  custom?: (data: object, store: Store) => string | undefined;
}

interface ValidationsIndex {
  checkTypes(data: unknown, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(
    data: object,
    types: Record<string, unknown>,
    custom: ValidationModule['custom'],
    store: Store,
  ): void;
}

/** A dynalite action: (store, validated request, callback). */
export type Action = (store: Store, data: Record<string, unknown>, cb: Callback<Record<string, unknown>>) => void;

export const createDynalite = require('dynalite') as (options: Record<string, unknown>) => http.Server;
export const dynaliteDb = require('dynalite/db') as DbModule;
export const validations = require('dynalite/validations') as ValidationsIndex;

export const actions = {
  putItem: require('dynalite/actions/putItem') as Action,
  updateItem: require('dynalite/actions/updateItem') as Action,
  getItem: require('dynalite/actions/getItem') as Action,
};

export const requestValidations = {
  putItem: require('dynalite/validations/putItem') as ValidationModule,
  updateItem: require('dynalite/validations/updateItem') as ValidationModule,
  deleteItem: require('dynalite/validations/deleteItem') as ValidationModule,
  getItem: require('dynalite/validations/getItem') as ValidationModule,
  createTable: require('dynalite/validations/createTable') as ValidationModule,
};

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as ServiceError).statusCode === 'number' && !!(err as ServiceError).body;
}

export function serviceError(type: string, message: string, extra: Record<string, unknown> = {}): ServiceError {
  const err = new Error(message) as ServiceError;
  err.statusCode = 400;
  const namespace = type === 'ValidationException' ? 'com.amazon.coral.validate' : 'com.amazonaws.dynamodb.v20120810';
  err.body = { __type: `${namespace}#${type}`, message, ...extra };
  return err;
}

export const validationError = (message: string) => serviceError('ValidationException', message);

/** Runs dynalite's own request validation (types, then expressions) for one action's input. */
export function validateRequest(
  validation: ValidationModule,
  input: Record<string, unknown>,
  store: Store,
): Record<string, unknown> {
  const data = validations.checkTypes(input, validation.types);
  validations.checkValidations(data, validation.types, validation.custom, store);
  return data;
}

export const call = <T>(fn: (cb: Callback<T>) => void) =>
  new Promise<T>((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data as T))));
