/**
 * One Lambda per table a job reads (STREAM_JOB_TABLES, each one of STREAMED_TABLES), running the app's own handler for it from
 * the bundle of app/jobs/lambda.ts (`<tableKey>Stream`), subscribed to the table's stream.
 * The handlers report partial batch failures and are idempotent (ADR 015/020), which is what
 * makes bisecting, retrying and starting from the oldest record safe.
 */
import {
  Duration,
  RemovalPolicy,
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { STREAMED_TABLES, type TableKey } from '../../app/data/dynamo/tables';
import { STREAM_JOB_TABLES } from '../../app/jobs/stream-job-tables';
import { ITEM_ACTIONS } from './data-access';
import type { DataTables } from './data-tables';

/** The export of app/jobs/lambda.ts that handles a table's stream. */
export const streamHandlerName = (table: TableKey) => `${table}Stream`;

export interface StreamJobsProps {
  data: DataTables;
  /** Directory holding the bundled handlers as index.mjs (infra/scripts/bundle-jobs.ts). */
  bundleDir: string;
  /** Settings the handlers read, besides the table prefix (e.g. how to reach the web tier's bus). */
  environment: Record<string, string>;
  tablePrefix: string;
}

export class StreamJobs extends Construct {
  readonly functions: Partial<Record<TableKey, lambda.Function>> = {};
  /** Records a handler still failed on after every retry, or that grew too old: kept 14 days. */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: StreamJobsProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const code = lambda.Code.fromAsset(props.bundleDir);
    for (const key of STREAM_JOB_TABLES) {
      if (!STREAMED_TABLES[key]) throw new Error(`a job reads ${key}, which is not in STREAMED_TABLES`);
      this.functions[key] = this.job(key, props.data.tables[key], code, props);
    }
  }

  private job(key: TableKey, table: dynamodb.Table, code: lambda.Code, props: StreamJobsProps): lambda.Function {
    if (!table.tableStreamArn) throw new Error(`${key} is in STREAMED_TABLES but its table has no stream`);
    const fn = new lambda.Function(this, `${key}-stream`, {
      description: `ClassCast job: ${table.tableName} stream → ${streamHandlerName(key)}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      // Pure JavaScript bundle: Graviton is the cheaper per-ms price.
      architecture: lambda.Architecture.ARM_64,
      handler: `index.${streamHandlerName(key)}`,
      code,
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: {
        ...props.environment,
        DATA_BACKEND: 'dynamodb',
        DYNAMODB_TABLE_PREFIX: props.tablePrefix,
        NODE_OPTIONS: '--enable-source-maps',
      },
      logGroup: new logs.LogGroup(this, `${key}-stream-logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    // A job reads and writes items as the web tier does (a like's notification, unread counts).
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ITEM_ACTIONS, resources: props.data.dataArns() }));
    fn.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record kept: a deploy or an outage loses nothing, and idempotent
        // handlers make a replay harmless.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        // One batch per shard at a time keeps each item's changes in order.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failures),
      }),
    );
    return fn;
  }
}
