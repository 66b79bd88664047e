/**
 * The ten classcast-* tables, from tableDefinitions(): keys, every index, streams and TTL as
 * the app defines them, plus what only a real account has: point-in-time recovery, encryption
 * with the AWS-managed key (ADR 021), deletion protection, and RETAIN so that deleting the
 * stack never deletes a school's data.
 */
import { RemovalPolicy, aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLES, TTL_ATTRIBUTES, tableDefinitions, type TableKey } from '../../app/data/dynamo/tables';
import { tableShape } from './table-props';

export class DataTables extends Construct {
  readonly tables: Record<TableKey, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: { tablePrefix: string }) {
    super(scope, id);
    const definitions = tableDefinitions(props.tablePrefix);
    this.tables = Object.fromEntries(
      TABLES.map((key) => [key, this.table(key, tableShape(definitions[key]))]),
    ) as Record<TableKey, dynamodb.Table>;
  }

  private table(key: TableKey, shape: ReturnType<typeof tableShape>): dynamodb.Table {
    const { globalIndexes, localIndexes, ...tableProps } = shape;
    const table = new dynamodb.Table(this, key, {
      ...tableProps,
      timeToLiveAttribute: TTL_ATTRIBUTES[key],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of globalIndexes) table.addGlobalSecondaryIndex(gsi);
    for (const lsi of localIndexes) table.addLocalSecondaryIndex(lsi);
    return table;
  }

  /** Every table's ARN and its indexes' ARNs: what an IAM statement on the data must name. */
  dataArns(): string[] {
    return Object.values(this.tables).flatMap((t) => [t.tableArn, `${t.tableArn}/index/*`]);
  }
}
