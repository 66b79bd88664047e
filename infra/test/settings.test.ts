import { describe, expect, it } from 'vitest';
import { parseSettings, stackProps } from '../lib/settings';
import { tableShape } from '../lib/table-props';

const read = (values: Record<string, unknown>) => (name: string) => values[name];

describe('infra settings', () => {
  it('derive the Cognito URLs and the upload origin from appUrl', () => {
    const props = stackProps(parseSettings(read({ appUrl: 'https://cc.example.edu/app' })), '/bundle');
    expect(props.appOrigins).toEqual(['https://cc.example.edu']);
    expect(props.callbackUrls).toEqual(['https://cc.example.edu/auth/cognito/callback']);
    expect(props.logoutUrls).toEqual(['https://cc.example.edu/']);
    expect(props.tablePrefix).toBe('classcast-');
    expect(props.env).toBeUndefined();
  });

  it('take lists, booleans and the job environment as the CLI passes them (strings)', () => {
    const settings = parseSettings(
      read({
        callbackUrls: 'https://a.example/cb, https://b.example/cb',
        selfSignUp: 'false',
        jobEnvironment: '{"REALTIME_DATABASE_URL":"postgres://bus/db"}',
        account: '123456789012',
        region: 'eu-west-1',
      }),
    );
    expect(settings.callbackUrls).toEqual(['https://a.example/cb', 'https://b.example/cb']);
    expect(settings.selfSignUp).toBe(false);
    expect(settings.jobEnvironment).toEqual({ REALTIME_DATABASE_URL: 'postgres://bus/db' });
    expect(stackProps(settings, '/b').env).toEqual({ account: '123456789012', region: 'eu-west-1' });
  });

  it('refuse bad values, naming each', () => {
    const attempt = () =>
      parseSettings(
        read({
          tablePrefix: 'bad prefix',
          cognitoDomainPrefix: 'school-cognito',
          jobEnvironment: '{nope',
          region: 'mars',
        }),
      );
    expect(attempt).toThrow(/tablePrefix/);
    expect(attempt).toThrow(/cognitoDomainPrefix: Cognito refuses/);
    expect(attempt).toThrow(/jobEnvironment: must be a JSON object of string values/);
    expect(attempt).toThrow(/region/);
    expect(() => parseSettings(read({ jobEnvironment: '{"AWS_REGION":"x"}' }))).toThrow(/reserved by Lambda/);
  });
});

describe('table definitions → CDK', () => {
  const base = {
    TableName: 't',
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  };

  it('refuses a key without an attribute definition rather than dropping it', () => {
    const def = {
      ...base,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'x',
          KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' as const }],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
    };
    expect(() => tableShape(def)).toThrow(/table definition t: key attribute other/);
  });

  it('refuses a local index on another partition key', () => {
    const def = {
      ...base,
      KeySchema: [...base.KeySchema, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
      AttributeDefinitions: [
        ...base.AttributeDefinitions,
        { AttributeName: 'sk', AttributeType: 'S' as const },
        { AttributeName: 'o', AttributeType: 'S' as const },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'l',
          KeySchema: [
            { AttributeName: 'o', KeyType: 'HASH' as const },
            { AttributeName: 'sk', KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
    };
    expect(() => tableShape(def)).toThrow(/local index l needs the table's HASH key/);
  });

  it('keeps provisioned capacity when a definition asks for it', () => {
    const shape = tableShape({
      ...base,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
    });
    expect(shape).toMatchObject({ billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 2 });
  });
});
