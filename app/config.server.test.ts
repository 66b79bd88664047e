import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, logLevel, parseConfig, parseJobsConfig } from './config.server';

const SECRET = 'x'.repeat(40);

describe('parseConfig', () => {
  it('defaults to the embedded Postgres backend in development with random secrets', () => {
    const a = parseConfig({ NODE_ENV: 'test' });
    const b = parseConfig({ NODE_ENV: 'test' });
    expect(a.DATA_BACKEND).toBe('postgres');
    expect(a.DATABASE_URL).toBeUndefined();
    expect(a.DYNAMODB_TABLE_PREFIX).toBe('classcast-');
    expect(a.SESSION_SECRET).toHaveLength(64);
    expect(a.SESSION_SECRET).not.toBe(b.SESSION_SECRET);
    expect(a.JWT_SECRET).not.toBe(a.SESSION_SECRET);
  });

  it('requires both secrets in production and names them', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrowError(ConfigError);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrowError(/SESSION_SECRET[\s\S]*JWT_SECRET/);
    expect(() => parseConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET })).toThrowError(/JWT_SECRET/);
    const ok = parseConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, JWT_SECRET: SECRET });
    expect(ok.isProduction).toBe(true);
  });

  it('rejects short secrets, unknown backends, bad ports and bad database URLs by name', () => {
    expect(() => parseConfig({ SESSION_SECRET: 'short' })).toThrowError(/SESSION_SECRET/);
    expect(() => parseConfig({ DATA_BACKEND: 'mongo' })).toThrowError(/DATA_BACKEND/);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrowError(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/DATABASE_URL/);
    expect(() => parseConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrowError(/METRICS_TOKEN/);
  });

  it('seals LTI keys with LTI_KEY_SECRET (newest first, comma-separated), else with SESSION_SECRET', () => {
    const older = 'o'.repeat(32);
    const fromOwn = parseConfig({ NODE_ENV: 'test', SESSION_SECRET: SECRET, LTI_KEY_SECRET: ` ${SECRET}, ${older} ` });
    expect(fromOwn.ltiKeySecrets).toEqual([SECRET, older]);
    const session = `${'n'.repeat(32)},${older}`;
    expect(parseConfig({ NODE_ENV: 'test', SESSION_SECRET: session }).ltiKeySecrets).toEqual(['n'.repeat(32), older]);
    expect(() => parseConfig({ NODE_ENV: 'test', LTI_KEY_SECRET: `${SECRET},short` })).toThrowError(/LTI_KEY_SECRET/);
  });

  it('needs an endpoint, the local DynamoDB or credentials for dynamodb outside production', () => {
    expect(() => parseConfig({ NODE_ENV: 'test', DATA_BACKEND: 'dynamodb' })).toThrowError(/DYNAMODB_ENDPOINT/);
    const cfg = parseConfig({ NODE_ENV: 'test', DATA_BACKEND: 'dynamodb', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(cfg.DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:8000');
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ NODE_ENV: 'test', DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('reads TRUSTED_ORIGINS as a list of exact origins and names a bad entry', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).TRUSTED_ORIGINS).toEqual([]);
    expect(
      parseConfig({ NODE_ENV: 'test', TRUSTED_ORIGINS: 'https://canvas.example.edu, http://127.0.0.1:4000' })
        .TRUSTED_ORIGINS,
    ).toEqual(['https://canvas.example.edu', 'http://127.0.0.1:4000']);
    expect(() => parseConfig({ NODE_ENV: 'test', TRUSTED_ORIGINS: 'https://lms.example.edu/' })).toThrowError(
      /TRUSTED_ORIGINS/,
    );
    expect(() => parseConfig({ NODE_ENV: 'test', TRUSTED_ORIGINS: 'lms.example.edu' })).toThrowError(/TRUSTED_ORIGINS/);
  });
  it("reads FRAME_ANCESTORS as 'self' and origins, refusing * and bare schemes with a clear error", () => {
    expect(parseConfig({ NODE_ENV: 'test' }).FRAME_ANCESTORS).toEqual(["'self'"]);
    expect(
      parseConfig({ NODE_ENV: 'test', FRAME_ANCESTORS: "'self' https://school.instructure.com, https://*.school.edu" })
        .FRAME_ANCESTORS,
    ).toEqual(["'self'", 'https://school.instructure.com', 'https://*.school.edu']);
    for (const bad of ['*', "'self' *", 'https:', 'https://*', 'https://lms.example.edu/path', 'lms.example.edu']) {
      expect(() => parseConfig({ NODE_ENV: 'test', FRAME_ANCESTORS: bad }), bad).toThrowError(
        /FRAME_ANCESTORS.*never \*/,
      );
    }
  });

  it('picks the realtime bus: postgres only with a real server, memory for PGlite and DynamoDB', () => {
    const server = 'postgresql://u@127.0.0.1:5432/db';
    expect(parseConfig({ NODE_ENV: 'test' }).REALTIME_BUS).toBe('memory');
    expect(parseConfig({ NODE_ENV: 'test', DATABASE_URL: server }).REALTIME_BUS).toBe('postgres');
    expect(
      parseConfig({ NODE_ENV: 'test', DATA_BACKEND: 'dynamodb', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })
        .REALTIME_BUS,
    ).toBe('memory');
    expect(parseConfig({ NODE_ENV: 'test', DATABASE_URL: server, REALTIME_BUS: 'memory' }).REALTIME_BUS).toBe('memory');
    expect(() => parseConfig({ NODE_ENV: 'test', REALTIME_BUS: 'postgres' })).toThrowError(/REALTIME_BUS/);
    expect(
      parseConfig({ NODE_ENV: 'test', REALTIME_BUS: 'postgres', REALTIME_DATABASE_URL: server }).REALTIME_BUS,
    ).toBe('postgres');
    expect(() => parseConfig({ NODE_ENV: 'test', REALTIME_BUS: 'redis' })).toThrowError(/REALTIME_BUS/);
    expect(() => parseConfig({ NODE_ENV: 'test', LIVE_HEARTBEAT_MS: '5' })).toThrowError(/LIVE_HEARTBEAT_MS/);
  });

  it('runs WEB_CONCURRENCY processes only when no state lives in the process, and says why otherwise', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: SECRET, JWT_SECRET: SECRET, WEB_CONCURRENCY: '3' };
    const server = 'postgresql://u@127.0.0.1:5432/db';
    expect(parseConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, JWT_SECRET: SECRET }).processes).toEqual({
      count: 1,
    });
    expect(parseConfig({ ...production, DATABASE_URL: server }).processes).toEqual({ count: 3 });
    expect(parseConfig(production).processes).toEqual({
      count: 1,
      singleProcessReason: expect.stringMatching(
        /^WEB_CONCURRENCY=3: running one process, because the embedded PostgreSQL/,
      ),
    });
    const dynamo = { ...production, DATA_BACKEND: 'dynamodb' };
    expect(parseConfig({ ...dynamo, DYNAMODB_LOCAL: 'true' }).processes.singleProcessReason).toMatch(
      /DYNAMODB_ENDPOINT/,
    );
    // DynamoDB on a server still needs a bus that crosses processes.
    expect(
      parseConfig({ ...dynamo, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }).processes.singleProcessReason,
    ).toMatch(/REALTIME_BUS=postgres/);
    expect(
      parseConfig({
        ...dynamo,
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
        REALTIME_BUS: 'postgres',
        REALTIME_DATABASE_URL: server,
      }).processes,
    ).toEqual({ count: 3 });
    expect(parseConfig({ NODE_ENV: 'development', DATABASE_URL: server, WEB_CONCURRENCY: '2' }).processes.count).toBe(
      1,
    );
    for (const bad of ['0', '65', '1.5', 'two']) {
      expect(() => parseConfig({ ...production, WEB_CONCURRENCY: bad })).toThrowError(/WEB_CONCURRENCY/);
    }
  });
});

describe('stream jobs settings', () => {
  const dynamo = { NODE_ENV: 'test', DATA_BACKEND: 'dynamodb', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' } as const;

  it('reads DynamoDB Streams with the poller by default on DynamoDB, never on Postgres', () => {
    expect(parseConfig(dynamo)).toMatchObject({ STREAM_JOBS: 'poller', STREAM_POLL_MS: 500 });
    expect(parseConfig({ ...dynamo, STREAM_JOBS: 'lambda' }).STREAM_JOBS).toBe('lambda');
    expect(parseConfig({ NODE_ENV: 'test' }).STREAM_JOBS).toBe('off');
    expect(() => parseConfig({ NODE_ENV: 'test', STREAM_JOBS: 'poller' })).toThrowError(/STREAM_JOBS: poller/);
    expect(() => parseConfig({ ...dynamo, STREAM_JOBS: 'cron' })).toThrowError(/STREAM_JOBS/);
    expect(() => parseConfig({ ...dynamo, STREAM_POLL_MS: '10' })).toThrowError(/STREAM_POLL_MS/);
  });

  it('gives a Lambda only the tables and the bus, and names a bus it cannot reach', () => {
    expect(parseJobsConfig({ DYNAMODB_TABLE_PREFIX: 'prod-', AWS_REGION: 'eu-west-1' })).toMatchObject({
      DYNAMODB_TABLE_PREFIX: 'prod-',
      AWS_REGION: 'eu-west-1',
      REALTIME_BUS: 'memory',
    });
    expect(parseJobsConfig({ REALTIME_DATABASE_URL: 'postgres://db/bus' }).REALTIME_BUS).toBe('postgres');
    expect(() => parseJobsConfig({ REALTIME_BUS: 'postgres' })).toThrowError(/REALTIME_DATABASE_URL/);
    expect(() => parseJobsConfig({ DYNAMODB_TABLE_PREFIX: 'bad prefix!' })).toThrowError(/DYNAMODB_TABLE_PREFIX/);
  });

  it('gives a Lambda the LTI key secrets grade passback opens the tool key with, or none', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    expect(parseJobsConfig({ LTI_KEY_SECRET: `${a}, ${b}` }).ltiKeySecrets).toEqual([a, b]);
    expect(parseJobsConfig({}).ltiKeySecrets).toBeNull();
    expect(() => parseJobsConfig({ LTI_KEY_SECRET: 'short' })).toThrowError(/LTI_KEY_SECRET/);
  });
});

describe('log level', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes LOG_LEVEL when it is a level, else the default (warn under tests, info otherwise)', () => {
    vi.stubEnv('LOG_LEVEL', 'debug');
    expect(logLevel()).toBe('debug');
    vi.stubEnv('LOG_LEVEL', 'loud');
    expect(logLevel()).toBe('warn');
    vi.stubEnv('NODE_ENV', 'production');
    expect(logLevel()).toBe('info');
  });

  it('a LOG_LEVEL that is no level stops start-up like any bad setting', () => {
    expect(() => parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'loud' })).toThrowError(/LOG_LEVEL/);
  });
});

describe('mail settings', () => {
  it('takes smtp:// and smtps:// URLs and a one-line From, with a default From', () => {
    expect(parseConfig({ SMTP_URL: 'smtps://u:p@mail.example.edu:465' }).SMTP_URL).toBe(
      'smtps://u:p@mail.example.edu:465',
    );
    expect(parseConfig({}).SMTP_URL).toBeUndefined();
    expect(parseConfig({}).MAIL_FROM).toBe('ClassCast <no-reply@localhost>');
  });

  it('refuses another scheme, a non-URL and a From with a line break', () => {
    expect(() => parseConfig({ SMTP_URL: 'http://mail.example.edu' })).toThrow(/SMTP_URL: must start with smtp/);
    expect(() => parseConfig({ SMTP_URL: 'mail.example.edu' })).toThrow(ConfigError);
    expect(() => parseConfig({ MAIL_FROM: 'a@b.c\r\nBcc: evil@x' })).toThrow(/MAIL_FROM: must be one line/);
  });
});
