import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoContext } from './client';

/** Reachable, and every table of ours ACTIVE (one DescribeTable each; no data read). */
export function dynamoPing(ctx: DynamoContext) {
  return async (): Promise<{ schemaCurrent: boolean }> => {
    const statuses = await Promise.all(
      Object.values(ctx.tables).map(async (TableName) => {
        const { Table } = await ctx.base.send(new DescribeTableCommand({ TableName }));
        return Table?.TableStatus;
      }),
    );
    return { schemaCurrent: statuses.every((status) => status === 'ACTIVE') };
  };
}
