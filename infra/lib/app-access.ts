/**
 * The web tier's managed policy: attach it to whatever runs the server (an ECS task role, an
 * App Runner instance role, an EC2 instance profile). Every statement names our tables, their
 * indexes or the bucket's objects; no Scan, no `Resource: *`.
 */
import { aws_iam as iam, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ITEM_ACTIONS, START_UP_ACTIONS, VIDEO_OBJECT_ACTIONS } from './data-access';
import type { DataTables } from './data-tables';

export class AppAccess extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { data: DataTables; bucket: s3.IBucket }) {
    super(scope, id);
    const tableArns = Object.values(props.data.tables).map((t) => t.tableArn);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'ClassCast web tier: item access to the classcast tables, objects of the video bucket',
      statements: [
        new iam.PolicyStatement({ sid: 'Items', actions: ITEM_ACTIONS, resources: props.data.dataArns() }),
        new iam.PolicyStatement({ sid: 'DescribeTables', actions: START_UP_ACTIONS, resources: tableArns }),
        new iam.PolicyStatement({
          sid: 'VideoObjects',
          actions: VIDEO_OBJECT_ACTIONS,
          resources: [props.bucket.arnForObjects('*')],
        }),
      ],
    });
  }
}
