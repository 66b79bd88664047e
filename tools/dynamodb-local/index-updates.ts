/**
 * UpdateTable with GlobalSecondaryIndexUpdates Create/Delete: dynalite validates these but does
 * not build the index. We add it to the table, backfill it from the items present, and report
 * it ACTIVE (AWS goes CREATING → ACTIVE; callers already wait for ACTIVE). The backfill and the
 * new table record are one batch, queued behind all item commits.
 * Limit: an item written *while* the index is being created may miss it; index creation here is
 * a start-up migration, not something done under load.
 */
import {
  dynaliteDb,
  indexKeyPrefix,
  itemKeyPrefix,
  serviceError,
  validationError,
  type Item,
  type KeySchemaElement,
  type LevelOperation,
  type SecondaryIndex,
  type Table,
} from './dynalite-internals';
import { type ExtendedStore } from './store-hooks';

interface AttributeDefinition {
  AttributeName: string;
  AttributeType: string;
}

type TableRecord = Table & {
  AttributeDefinitions: AttributeDefinition[];
  ProvisionedThroughput?: Record<string, number>;
};

interface IndexCreate {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: SecondaryIndex['Projection'];
  ProvisionedThroughput?: Record<string, number>;
}

const ALLOWED_FIELDS = new Set(['TableName', 'AttributeDefinitions', 'GlobalSecondaryIndexUpdates']);

/** True for the UpdateTable requests this module answers (dynalite answers the others). */
export function changesIndexes(body: Record<string, unknown>): boolean {
  const updates = body.GlobalSecondaryIndexUpdates;
  return Array.isArray(updates) && updates.some((u) => u && typeof u === 'object' && ('Create' in u || 'Delete' in u));
}

function validIndexName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-zA-Z0-9_.-]{3,255}$/.test(name);
}

export function createIndexUpdates(ext: ExtendedStore) {
  const { store } = ext;

  async function updateTable(body: Record<string, unknown>) {
    const extra = Object.keys(body).filter((k) => !ALLOWED_FIELDS.has(k));
    if (extra.length) {
      throw validationError(
        `Creating or deleting an index cannot be combined with other table updates (${extra.join(', ')})`,
      );
    }
    const updates = body.GlobalSecondaryIndexUpdates as Record<string, unknown>[];
    if (updates.length !== 1) {
      throw serviceError(
        'LimitExceededException',
        'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
      );
    }
    const table = (await ext.activeTable(String(body.TableName))) as TableRecord;
    const update = updates[0];
    const definitions = Array.isArray(body.AttributeDefinitions)
      ? (body.AttributeDefinitions as AttributeDefinition[])
      : [];
    const result = update.Create
      ? createIndex(table, update.Create as IndexCreate, definitions)
      : await deleteIndex(table, (update.Delete as { IndexName?: unknown }).IndexName);
    return { TableDescription: await result };
  }

  async function createIndex(table: TableRecord, create: IndexCreate, definitions: AttributeDefinition[]) {
    if (
      !validIndexName(create?.IndexName) ||
      !Array.isArray(create.KeySchema) ||
      create.KeySchema.length < 1 ||
      !create.Projection
    ) {
      throw validationError(
        'One or more parameter values were invalid: a created index needs IndexName, KeySchema and Projection',
      );
    }
    if ((table.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === create.IndexName)) {
      throw validationError(
        'One or more parameter values were invalid: Attempting to create an index which already exists',
      );
    }
    const attributes = [...table.AttributeDefinitions];
    for (const def of definitions) {
      const known = attributes.find((a) => a.AttributeName === def.AttributeName);
      if (known && known.AttributeType !== def.AttributeType) {
        throw validationError(
          `One or more parameter values were invalid: Attribute ${def.AttributeName} is already defined as ${known.AttributeType}`,
        );
      }
      if (!known) attributes.push(def);
    }
    for (const key of create.KeySchema) {
      if (!attributes.some((a) => a.AttributeName === key.AttributeName)) {
        throw validationError(
          'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions.',
        );
      }
    }
    const index = {
      IndexName: create.IndexName,
      KeySchema: create.KeySchema,
      Projection: create.Projection,
      IndexArn: `${table.TableArn}/index/${create.IndexName}`,
      IndexStatus: 'ACTIVE',
      IndexSizeBytes: 0,
      ItemCount: 0,
      ProvisionedThroughput: {
        ReadCapacityUnits: 0,
        WriteCapacityUnits: 0,
        ...create.ProvisionedThroughput,
        NumberOfDecreasesToday: 0,
      },
    };
    const updated: TableRecord = {
      ...table,
      AttributeDefinitions: attributes,
      GlobalSecondaryIndexes: [...(table.GlobalSecondaryIndexes ?? []), index],
    };
    const prefix = itemKeyPrefix(table.TableName);
    await ext.streams.commit([], [], async () => {
      const items = (await store.db.values({ gte: prefix, lt: `${prefix}\xff` }).all()) as Item[];
      const ops: LevelOperation[] = [];
      for (const item of items) {
        for (const put of dynaliteDb.getIndexActions([index], null, item, updated).puts) {
          ops.push({
            type: 'put',
            key: indexKeyPrefix('Global', table.TableName, index.IndexName) + put.key,
            value: put.item,
          });
        }
      }
      ops.push({ type: 'put', key: `table~${table.TableName}`, value: updated });
      return ops;
    });
    return updated;
  }

  async function deleteIndex(table: TableRecord, indexName: unknown) {
    if (!(table.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === indexName)) {
      throw serviceError(
        'ResourceNotFoundException',
        `Requested resource not found: Index: ${String(indexName)} not found`,
      );
    }
    const updated: TableRecord = {
      ...table,
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes!.filter((i) => i.IndexName !== indexName),
    };
    if (!updated.GlobalSecondaryIndexes!.length) delete updated.GlobalSecondaryIndexes;
    const prefix = indexKeyPrefix('Global', table.TableName, String(indexName));
    await ext.streams.commit([], [], async () => {
      const keys = await (store.db as unknown as { keys(o: object): { all(): Promise<string[]> } })
        .keys({ gte: prefix, lt: `${prefix}\xff` })
        .all();
      return [
        ...keys.map((key) => ({ type: 'del' as const, key })),
        { type: 'put' as const, key: `table~${table.TableName}`, value: updated },
      ];
    });
    return updated;
  }

  return { updateTable };
}
