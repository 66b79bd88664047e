/**
 * Turns the app's own CreateTable inputs (app/data/dynamo/tables.ts) into CDK table props, so
 * the deployed tables can never drift from what ensureTables creates locally. Anything the
 * definitions say that this translation does not understand stops the synth: a silently
 * dropped index would only show as a failing Query in production.
 */
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
  Projection,
} from '@aws-sdk/client-dynamodb';
import { aws_dynamodb as dynamodb } from 'aws-cdk-lib';

export interface TableShape {
  tableName: string;
  partitionKey: dynamodb.Attribute;
  sortKey?: dynamodb.Attribute;
  billingMode: dynamodb.BillingMode;
  readCapacity?: number;
  writeCapacity?: number;
  stream?: dynamodb.StreamViewType;
  globalIndexes: dynamodb.GlobalSecondaryIndexProps[];
  localIndexes: dynamodb.LocalSecondaryIndexProps[];
}

const ATTRIBUTE_TYPES: Record<string, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

const STREAM_VIEWS: Record<string, dynamodb.StreamViewType> = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  OLD_IMAGE: dynamodb.StreamViewType.OLD_IMAGE,
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: dynamodb.StreamViewType.KEYS_ONLY,
};

class TableDefinitionError extends Error {
  constructor(table: string | undefined, message: string) {
    super(`table definition ${table ?? '(unnamed)'}: ${message}`);
    this.name = 'TableDefinitionError';
  }
}

function keyAttributes(
  table: string,
  keys: KeySchemaElement[] | undefined,
  attributes: AttributeDefinition[],
): { partitionKey: dynamodb.Attribute; sortKey?: dynamodb.Attribute } {
  const attribute = (name: string | undefined): dynamodb.Attribute => {
    const def = attributes.find((a) => a.AttributeName === name);
    const type = def?.AttributeType ? ATTRIBUTE_TYPES[def.AttributeType] : undefined;
    if (!name || !type)
      throw new TableDefinitionError(table, `key attribute ${name} has no usable AttributeDefinition`);
    return { name, type };
  };
  const hash = keys?.filter((k) => k.KeyType === 'HASH') ?? [];
  const range = keys?.filter((k) => k.KeyType === 'RANGE') ?? [];
  if (hash.length !== 1 || range.length > 1 || hash.length + range.length !== keys?.length) {
    throw new TableDefinitionError(table, 'a key schema needs one HASH and at most one RANGE element');
  }
  return {
    partitionKey: attribute(hash[0].AttributeName),
    ...(range[0] ? { sortKey: attribute(range[0].AttributeName) } : {}),
  };
}

function projection(table: string, p: Projection | undefined) {
  switch (p?.ProjectionType ?? 'ALL') {
    case 'ALL':
      return { projectionType: dynamodb.ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: p?.NonKeyAttributes ?? [] };
    default:
      throw new TableDefinitionError(table, `unknown projection ${p?.ProjectionType}`);
  }
}

export function tableShape(def: CreateTableCommandInput): TableShape {
  const table = def.TableName;
  if (!table) throw new TableDefinitionError(table, 'TableName is required');
  const attributes = def.AttributeDefinitions ?? [];
  const onDemand = (def.BillingMode ?? 'PROVISIONED') === 'PAY_PER_REQUEST';
  if (!onDemand && !def.ProvisionedThroughput) {
    throw new TableDefinitionError(table, 'provisioned billing needs ProvisionedThroughput');
  }
  const view = def.StreamSpecification?.StreamEnabled ? def.StreamSpecification.StreamViewType : undefined;
  if (view && !STREAM_VIEWS[view]) throw new TableDefinitionError(table, `unknown stream view ${view}`);
  const key = keyAttributes(table, def.KeySchema, attributes);
  return {
    tableName: table,
    ...key,
    billingMode: onDemand ? dynamodb.BillingMode.PAY_PER_REQUEST : dynamodb.BillingMode.PROVISIONED,
    ...(onDemand
      ? {}
      : {
          readCapacity: def.ProvisionedThroughput?.ReadCapacityUnits,
          writeCapacity: def.ProvisionedThroughput?.WriteCapacityUnits,
        }),
    ...(view ? { stream: STREAM_VIEWS[view] } : {}),
    globalIndexes: (def.GlobalSecondaryIndexes ?? []).map((gsi) => ({
      indexName: gsi.IndexName!,
      ...keyAttributes(table, gsi.KeySchema, attributes),
      ...projection(table, gsi.Projection),
    })),
    localIndexes: (def.LocalSecondaryIndexes ?? []).map((lsi) => {
      const { partitionKey, sortKey } = keyAttributes(table, lsi.KeySchema, attributes);
      // A local index shares the table's partition; CDK only takes its sort key.
      if (partitionKey.name !== key.partitionKey.name || !sortKey) {
        throw new TableDefinitionError(
          table,
          `local index ${lsi.IndexName} needs the table's HASH key and a RANGE key`,
        );
      }
      return { indexName: lsi.IndexName!, sortKey, ...projection(table, lsi.Projection) };
    }),
  };
}
