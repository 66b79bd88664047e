/**
 * ClassCast on AWS in one stack: the data, the video bucket, sign-in, the stream jobs and the
 * web tier's policy. Env-agnostic unless an account/region is given, so it synthesizes with no
 * credentials and no lookups.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AppAccess } from './app-access';
import { DataTables } from './data-tables';
import { StreamJobs } from './stream-jobs';
import { UserDirectory } from './user-directory';
import { VideoBucket } from './video-bucket';

export interface ClassCastStackProps extends StackProps {
  /** Table names are `<prefix><table>`, as DYNAMODB_TABLE_PREFIX tells the app. */
  tablePrefix: string;
  /** Origins whose pages upload to and play from the bucket (the app's APP_URL origin). */
  appOrigins: string[];
  /** Where Cognito may send the browser back after sign-in (COGNITO_REDIRECT_URI) and sign-out. */
  callbackUrls: string[];
  logoutUrls: string[];
  /** `<prefix>.auth.<region>.amazoncognito.com`: unique per region. */
  cognitoDomainPrefix: string;
  selfSignUp: boolean;
  /** The bundled stream handlers (infra/dist/jobs from bundle-jobs.ts; a fixture in tests). */
  jobsBundleDir: string;
  jobEnvironment?: Record<string, string>;
}

export class ClassCastStack extends Stack {
  readonly data: DataTables;
  readonly videos: VideoBucket;
  readonly users: UserDirectory;
  readonly jobs: StreamJobs;
  readonly appAccess: AppAccess;

  constructor(scope: Construct, id: string, props: ClassCastStackProps) {
    super(scope, id, props);
    this.data = new DataTables(this, 'Data', { tablePrefix: props.tablePrefix });
    this.videos = new VideoBucket(this, 'Videos', { appOrigins: props.appOrigins });
    this.users = new UserDirectory(this, 'Users', {
      callbackUrls: props.callbackUrls,
      logoutUrls: props.logoutUrls,
      domainPrefix: props.cognitoDomainPrefix,
      selfSignUp: props.selfSignUp,
    });
    this.jobs = new StreamJobs(this, 'Jobs', {
      data: this.data,
      bundleDir: props.jobsBundleDir,
      environment: props.jobEnvironment ?? {},
      tablePrefix: props.tablePrefix,
    });
    this.appAccess = new AppAccess(this, 'App', { data: this.data, bucket: this.videos.bucket });

    // Named as the app's environment variables they feed (README, "Deploy to AWS").
    const outputs: Record<string, [string, string]> = {
      TablePrefix: [props.tablePrefix, 'DYNAMODB_TABLE_PREFIX'],
      VideoBucketName: [this.videos.bucket.bucketName, 'S3_BUCKET'],
      UserPoolId: [this.users.userPool.userPoolId, 'the Cognito user pool'],
      UserPoolClientId: [this.users.client.userPoolClientId, 'COGNITO_CLIENT_ID'],
      CognitoDomain: [this.users.domain.baseUrl(), 'COGNITO_DOMAIN (hosted sign-in)'],
      CognitoIssuer: [this.users.issuer(), 'COGNITO_ISSUER'],
      AppPolicyArn: [this.appAccess.policy.managedPolicyArn, 'attach to the web tier role'],
      JobFailuresQueueUrl: [this.jobs.failures.queueUrl, 'stream records the jobs gave up on'],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value, description });
    }
  }
}
