/**
 * UpdateTable with StreamSpecification: turns a table's stream on (a new stream ARN and label,
 * as DynamoDB gives each enabling) or off. dynalite rejects the field, so ensureTables could
 * not add a stream to a table created before STREAMED_TABLES named it.
 */
import { validationError, type StreamSpecification, type Table } from './dynalite-internals';
import { type ExtendedStore } from './store-hooks';

/** True for the UpdateTable requests this module answers. */
export function changesStream(body: Record<string, unknown>): boolean {
  return body.StreamSpecification !== undefined && body.GlobalSecondaryIndexUpdates === undefined;
}

export function createStreamUpdates(
  ext: ExtendedStore,
  specOf: (body: Record<string, unknown>) => StreamSpecification | null,
) {
  async function updateTable(body: Record<string, unknown>) {
    const extra = Object.keys(body).filter((k) => k !== 'TableName' && k !== 'StreamSpecification');
    if (extra.length) {
      throw validationError(`A stream update cannot be combined with other table updates (${extra.join(', ')})`);
    }
    const spec = specOf(body);
    const table = await ext.activeTable(String(body.TableName));
    const enabled = table.StreamSpecification?.StreamEnabled === true;
    if (spec && enabled) {
      throw validationError(`Table already has an enabled stream: ${table.LatestStreamArn}`);
    }
    if (!spec && !enabled) {
      throw validationError('Table does not have an enabled stream to disable');
    }
    const updated: Table = spec
      ? (() => {
          const label = new Date().toISOString().replace(/Z$/, '');
          return {
            ...table,
            StreamSpecification: spec,
            LatestStreamLabel: label,
            LatestStreamArn: `${table.TableArn}/stream/${label}`,
          };
        })()
      : { ...table, StreamSpecification: { StreamEnabled: false } as StreamSpecification };
    await ext.streams.commit([{ type: 'put', key: `table~${table.TableName}`, value: updated }], []);
    return { TableDescription: updated };
  }
  return { updateTable };
}
