/**
 * UpdateTimeToLive (which dynalite lacks) and a DescribeTimeToLive that reports it. The setting
 * is kept per table incarnation (TableId), so a re-created table starts without TTL, as on AWS.
 * Expired items are not deleted: DynamoDB itself only promises deletion "within days", so code
 * must already ignore expired items when it reads them.
 */
import { serviceError, validationError, type Table } from './dynalite-internals';
import { type ExtendedStore } from './store-hooks';

interface TimeToLiveSpecification {
  AttributeName: string;
  Enabled: boolean;
}

const settingKey = (table: Table & { TableId?: string }) => `ttl~${table.TableName}~${table.TableId ?? ''}`;

export function createTimeToLive(ext: ExtendedStore) {
  const { store } = ext;

  async function tableNamed(body: Record<string, unknown>): Promise<Table> {
    if (typeof body.TableName !== 'string' || body.TableName.length < 3) {
      throw validationError(
        "1 validation error detected: Value at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      );
    }
    return ext.activeTable(body.TableName);
  }

  async function current(table: Table): Promise<TimeToLiveSpecification | null> {
    return ((await store.db.get(settingKey(table))) as TimeToLiveSpecification | undefined) ?? null;
  }

  async function describeTimeToLive(body: Record<string, unknown>) {
    const spec = await current(await tableNamed(body));
    return {
      TimeToLiveDescription: spec?.Enabled
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName }
        : { TimeToLiveStatus: 'DISABLED' },
    };
  }

  async function updateTimeToLive(body: Record<string, unknown>) {
    const spec = body.TimeToLiveSpecification as Partial<TimeToLiveSpecification> | undefined;
    if (
      typeof spec !== 'object' ||
      spec === null ||
      typeof spec.Enabled !== 'boolean' ||
      typeof spec.AttributeName !== 'string'
    ) {
      throw validationError('TimeToLiveSpecification needs AttributeName and Enabled');
    }
    if (spec.AttributeName.length < 1 || spec.AttributeName.length > 255) {
      throw validationError(
        "1 validation error detected: Value at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255",
      );
    }
    const table = await tableNamed(body);
    const existing = await current(table);
    if (spec.Enabled && existing?.Enabled) throw validationError('TimeToLive is already enabled');
    if (!spec.Enabled && !existing?.Enabled) throw validationError('TimeToLive is already disabled');
    if (!spec.Enabled && existing && existing.AttributeName !== spec.AttributeName) {
      throw serviceError('ValidationException', 'The attribute name does not match the enabled TimeToLive attribute');
    }
    const setting = { AttributeName: spec.AttributeName, Enabled: spec.Enabled };
    await store.db.batch([{ type: 'put', key: settingKey(table), value: setting }]);
    return { TimeToLiveSpecification: setting };
  }

  return { describeTimeToLive, updateTimeToLive };
}
