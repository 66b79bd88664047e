/**
 * The synthesized template against the app's own definitions: every table, key, index,
 * stream and TTL from tableDefinitions(), and the settings only AWS has (PITR, encryption,
 * retention), the bucket, the user pool, one job per streamed table, and a web tier policy
 * with no Scan and no wildcard resource.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STREAMED_TABLES, TABLES, TTL_ATTRIBUTES, tableDefinitions, type TableKey } from '../../app/data/dynamo/tables';
import { STREAM_JOB_TABLES } from '../../app/jobs/stream-job-tables';
import { ClassCastStack } from '../lib/classcast-stack';
import { parseSettings, stackProps } from '../lib/settings';

const fixtureBundle = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'jobs-bundle');
const PREFIX = 'school-a-';
const context: Record<string, string> = {
  tablePrefix: PREFIX,
  appUrl: 'https://classcast.example.edu',
  cognitoDomainPrefix: 'classcast-school-a',
};

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const tableResource = (key: TableKey) => {
  const found = ofType('AWS::DynamoDB::Table').find(([, r]) => r.Properties.TableName === `${PREFIX}${key}`);
  if (!found) throw new Error(`no table ${PREFIX}${key} in the template`);
  return found;
};
const byName = <T extends { IndexName?: string }>(list: T[] | undefined) =>
  Object.fromEntries((list ?? []).map((i) => [i.IndexName, i]));

beforeAll(() => {
  const app = new App();
  const settings = parseSettings((name) => context[name]);
  const stack = new ClassCastStack(app, 'ClassCastTest', stackProps(settings, fixtureBundle));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

describe('tables, from tableDefinitions()', () => {
  const definitions = tableDefinitions(PREFIX);

  it('has exactly the ten tables, named with the prefix', () => {
    const names = ofType('AWS::DynamoDB::Table').map(([, r]) => r.Properties.TableName);
    expect(names.sort()).toEqual(TABLES.map((t) => `${PREFIX}${t}`).sort());
  });

  it.each(TABLES)('%s: keys, attributes, every GSI and LSI, billing', (key) => {
    const def = definitions[key];
    const [, { Properties: p }] = tableResource(key);
    expect(p.KeySchema).toEqual(def.KeySchema);
    expect(p.BillingMode).toBe(def.BillingMode);
    const attrs = (list: { AttributeName?: string; AttributeType?: string }[] = []) =>
      list.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort();
    expect(attrs(p.AttributeDefinitions)).toEqual(attrs(def.AttributeDefinitions));
    const gsis = byName(def.GlobalSecondaryIndexes);
    expect(Object.keys(byName(p.GlobalSecondaryIndexes)).sort()).toEqual(Object.keys(gsis).sort());
    for (const gsi of p.GlobalSecondaryIndexes ?? []) {
      expect(gsi.KeySchema).toEqual(gsis[gsi.IndexName].KeySchema);
      expect(gsi.Projection).toEqual(gsis[gsi.IndexName].Projection);
    }
    const lsis = byName(def.LocalSecondaryIndexes);
    expect(Object.keys(byName(p.LocalSecondaryIndexes)).sort()).toEqual(Object.keys(lsis).sort());
    for (const lsi of p.LocalSecondaryIndexes ?? []) {
      expect(lsi.KeySchema).toEqual(lsis[lsi.IndexName].KeySchema);
      expect(lsi.Projection).toEqual(lsis[lsi.IndexName].Projection);
    }
  });

  it('includes the courses roster LSI (the one local index) so the mapping is really exercised', () => {
    expect(tableResource('courses')[1].Properties.LocalSecondaryIndexes).toHaveLength(1);
  });

  it.each(TABLES)('%s: stream and TTL as the app defines them', (key) => {
    const [, { Properties: p }] = tableResource(key);
    const view = STREAMED_TABLES[key];
    expect(p.StreamSpecification).toEqual(view ? { StreamViewType: view } : undefined);
    const ttl = TTL_ATTRIBUTES[key];
    expect(p.TimeToLiveSpecification).toEqual(ttl ? { AttributeName: ttl, Enabled: true } : undefined);
  });

  it.each(TABLES)('%s: point-in-time recovery, KMS encryption at rest, kept on delete', (key) => {
    const [, table] = tableResource(key);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    // SSEEnabled without a key id is KMS with the AWS-managed key aws/dynamodb (ADR 021).
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
  });
});

describe('video bucket', () => {
  it('is encrypted, private, TLS only, and kept', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the app origin upload from the browser and read part ETags', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket');
    const [rule] = bucket.Properties.CorsConfiguration.CorsRules;
    expect(rule.AllowedOrigins).toEqual(['https://classcast.example.edu']);
    expect([...rule.AllowedMethods].sort()).toEqual(['GET', 'HEAD', 'POST', 'PUT']);
    expect(rule.ExposedHeaders).toContain('ETag');
    expect(rule.AllowedHeaders).toEqual(['*']);
  });

  it('aborts incomplete multipart uploads after one day', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket');
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    ]);
  });
});

describe('Cognito', () => {
  it('has the three role groups', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'instructor', 'student']);
  });

  it('has a confidential code-grant client with the OpenID scopes and our URLs only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayEquals(['openid', 'email', 'profile']),
      CallbackURLs: ['https://classcast.example.edu/auth/cognito/callback'],
      LogoutURLs: ['https://classcast.example.edu/'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  it('has the hosted domain prefix', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'classcast-school-a' });
  });
});

describe('stream jobs', () => {
  const streamed: TableKey[] = [...STREAM_JOB_TABLES];

  it('a table that streams without a job (interactions) keeps its stream and gets no function', () => {
    const unread = (Object.keys(STREAMED_TABLES) as TableKey[]).filter((k) => !streamed.includes(k));
    expect(unread).toContain('interactions');
    const handlers = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties.Handler);
    for (const key of unread) expect(handlers).not.toContain(`index.${key}Stream`);
  });

  it('has one Node 22 function per table a job reads, on its handler export', () => {
    const handlers = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties);
    expect(handlers.map((p) => p.Handler).sort()).toEqual(streamed.map((k) => `index.${k}Stream`).sort());
    for (const p of handlers) {
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Environment.Variables).toMatchObject({ DATA_BACKEND: 'dynamodb', DYNAMODB_TABLE_PREFIX: PREFIX });
    }
  });

  it.each(streamed)('%s: an event source mapping on its stream with partial batch failures and a DLQ', (key) => {
    const [tableId] = tableResource(key);
    const [fnId] = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Handler === `index.${key}Stream`)!;
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, r]) =>
        JSON.stringify(r.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] }),
    );
    expect(mappings).toHaveLength(1);
    const [[, { Properties: p }]] = mappings;
    expect(p.FunctionName).toEqual({ Ref: fnId });
    expect(p).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      BatchSize: 100,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 3600,
    });
    const [[queueId]] = ofType('AWS::SQS::Queue');
    expect(p.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
  });
});

describe('IAM', () => {
  const statements = (types: string[]) =>
    Object.values(resources)
      .filter((r) => types.includes(r.Type))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  const actions = (s: { Action: string | string[] }) => [s.Action].flat();

  it('no policy anywhere allows dynamodb:Scan or a service-wide wildcard', () => {
    for (const s of statements(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'])) {
      for (const action of actions(s)) {
        expect(action).not.toMatch(/^dynamodb:Scan$|:\*$|^\*$/);
      }
    }
  });

  it("the app policy names only our tables, their indexes and the bucket's objects", () => {
    const app = statements(['AWS::IAM::ManagedPolicy']);
    expect(app.length).toBeGreaterThan(0);
    const tableIds = TABLES.map((k) => tableResource(k)[0]);
    const [[bucketId]] = ofType('AWS::S3::Bucket');
    for (const s of app) {
      for (const resource of [s.Resource].flat()) {
        expect(resource).not.toBe('*');
        const text = JSON.stringify(resource);
        expect(tableIds.some((id) => text.includes(`"${id}"`)) || text.includes(`"${bucketId}"`)).toBe(true);
      }
    }
    const granted = app.flatMap(actions);
    expect(granted).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:ConditionCheckItem', 's3:PutObject']));
    expect(granted.filter((a) => !/^(dynamodb|s3):/.test(a))).toEqual([]);
    // Tables and buckets change by deploying this stack, never from a web server.
    expect(granted.filter((a) => /Create|DeleteTable|UpdateTable|UpdateTimeToLive|Bucket/.test(a))).toEqual([]);
  });

  it('the app reaches every index with item actions and every table with describe', () => {
    const app = statements(['AWS::IAM::ManagedPolicy']);
    const items = app.find((s) => actions(s).includes('dynamodb:Query'))!;
    const text = JSON.stringify(items.Resource);
    for (const key of TABLES) expect(text).toContain(`"${tableResource(key)[0]}"`);
    expect(text.match(/\/index\/\*/g)).toHaveLength(TABLES.length);
  });
});

it('outputs what the app is configured with', () => {
  const outputs = Object.keys(template.toJSON().Outputs);
  expect(outputs).toEqual(
    expect.arrayContaining([
      'TablePrefix',
      'VideoBucketName',
      'UserPoolId',
      'UserPoolClientId',
      'CognitoDomain',
      'CognitoIssuer',
      'AppPolicyArn',
    ]),
  );
  template.hasOutput('TablePrefix', { Value: PREFIX });
});
