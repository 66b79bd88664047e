/**
 * The only reader of process.env. Parsed once with zod; a wrong setting stops start-up
 * with a message that names it.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CRASH_POINTS } from '~/utils/crash-points';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const secret = z.string().min(32, 'must be at least 32 characters');

/** An origin exactly as browsers send it in the Origin header: scheme://host[:port], no path. */
const trustedOrigin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'each entry must be an origin like https://lms.example.edu (scheme, host and optional port; no path or trailing slash)');

/**
 * One frame-ancestors source: 'self', or an http(s) origin whose host may start with "*."
 * (every subdomain of one domain). `*` and bare schemes ("https:") are refused: they let any
 * site frame ClassCast and click through its pages under the user's session.
 */
const frameAncestor = z.string().refine((value) => {
  if (value === "'self'") return true;
  const match = /^(https?:\/\/)(\*\.)?([^/*]+)$/.exec(value);
  if (!match) return false;
  try {
    const url = new URL(`${match[1]}${match[3]}`);
    return url.origin === `${match[1]}${match[3]}`;
  } catch {
    return false;
  }
}, "each entry must be 'self' or an origin like https://lms.example.edu or https://*.example.edu (never *, nor a bare scheme such as https:)");

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** The structured log's threshold (app/utils/log.server.ts); default info (warn under tests). */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Public origin used in links and CORS rules; defaults to http://HOST:PORT. */
  APP_URL: z.url().optional(),
  DATA_BACKEND: z.enum(['postgres', 'dynamodb']).default('postgres'),
  /** Absent → embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  /**
   * How live events reach every server process's /events streams: `postgres` (LISTEN/NOTIFY,
   * several processes on one database) or `memory` (one process). Default: postgres when
   * DATA_BACKEND=postgres and DATABASE_URL names a server, memory otherwise (the embedded
   * PGlite does not deliver NOTIFY across connections).
   */
  REALTIME_BUS: z.enum(['memory', 'postgres']).optional(),
  /** LISTEN/NOTIFY connection when DATABASE_URL goes through PgBouncer in transaction mode (which breaks LISTEN). */
  REALTIME_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  /** /events heartbeat comment interval. */
  LIVE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** Port of the embedded Postgres wire server; 0 picks a free one. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  DYNAMODB_ENDPOINT: z.url().optional(),
  DYNAMODB_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/, 'may only contain letters, digits, _ . -')
    .default('classcast-'),
  /** Start DynamoDB Local in-process when DATA_BACKEND=dynamodb and no endpoint is given. */
  DYNAMODB_LOCAL: booleanish.default(false),
  AWS_REGION: z.string().default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  SESSION_SECRET: secret.optional(),
  JWT_SECRET: secret.optional(),
  /**
   * Seals the LTI tool's private signing keys in the database. Comma-separated for rotation
   * ("new,old": the first seals, every one opens). Unset: SESSION_SECRET's list is used.
   */
  LTI_KEY_SECRET: z
    .string()
    .refine(
      (value) => value.split(',').every((part) => part.trim().length >= 32),
      'each comma-separated secret must be at least 32 characters',
    )
    .optional(),
  /** Seed the demo course on first start. */
  SEED_DEMO: booleanish.default(true),
  /** Requests per minute per IP for login; per-account attempts are limited separately. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Requests that mail an address (password reset, confirmation resend) per IP per hour. */
  ACCOUNT_MAIL_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** How often the outbox runner looks for jobs a commit did not start (a crash, another process), ms. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /**
   * Who runs the jobs on DynamoDB (docs/decisions/020-stream-jobs.md): `poller` reads the
   * tables' streams in this process (the local default), `lambda` leaves them to the deployed
   * functions, `off` delivers through the outbox runner instead. Postgres has only the runner.
   */
  STREAM_JOBS: z.enum(['poller', 'lambda', 'off']).optional(),
  /** How long the stream poller waits after a poll that found nothing, ms. */
  STREAM_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Express trust-proxy setting: which hops may set X-Forwarded-For (e.g. "loopback", "1"). */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v)),
  /** Video bucket. */
  S3_BUCKET: z.string().min(3).default('classcast-videos'),
  /** S3-compatible endpoint (MinIO, a local stand-in); absent → AWS S3 (or the local stand-in, see S3_LOCAL). */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().optional(),
  S3_FORCE_PATH_STYLE: booleanish.optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Run the local S3 stand-in (s3rver) in-process, data under DATA_DIR/s3. Default: on unless S3_ENDPOINT is set or in production. */
  S3_LOCAL: booleanish.optional(),
  S3_LOCAL_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Largest accepted video, bytes (default 2 GB). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(2 * 1024 ** 3),
  /**
   * Origins besides our own whose pages may send signed-in, state-changing requests (an LMS
   * that embeds ClassCast), space- or comma-separated, e.g. "https://canvas.example.edu".
   */
  TRUSTED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(trustedOrigin)),
  /**
   * Bearer token that opens GET /metrics (Prometheus text format). Unset: /metrics answers 404
   * and the database-call counters are not even attached (Prisma's query events cost a little).
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Server processes sharing the port (node:cluster, docs/decisions/018). More than one only
   * when every piece of state lives outside the process: see `processes` below.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * CSP frame-ancestors besides 'self' and the registered LTI platforms' origins: LMS pages
   * that embed ClassCast from another host than the platform's issuer (a school's own Canvas
   * domain), space- or comma-separated, e.g. "https://school.instructure.com https://*.school.edu".
   */
  FRAME_ANCESTORS: z
    .string()
    .default("'self'")
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(frameAncestor)),
  /**
   * Cognito sign-in (docs/decisions/019-cognito-sign-in.md), all or nothing: the user pool's
   * hosted domain (https://<prefix>.auth.<region>.amazoncognito.com), the app client, the
   * callback registered with it, and the pool's issuer (COGNITO_ISSUER, or
   * COGNITO_USER_POOL_ID with COGNITO_REGION/AWS_REGION) for Bearer access tokens.
   */
  COGNITO_DOMAIN: z.url().optional(),
  COGNITO_CLIENT_ID: z
    .string()
    .regex(/^[\w-]+$/, 'must be an app client id (letters, digits, _ and -)')
    .optional(),
  /** Absent for public app clients (PKCE only). */
  COGNITO_CLIENT_SECRET: z.string().optional(),
  COGNITO_REDIRECT_URI: z.url().optional(),
  COGNITO_ISSUER: z.url().optional(),
  COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must look like us-east-1_AbCdEf123')
    .optional(),
  COGNITO_REGION: z.string().optional(),
  /** Default: <issuer>/.well-known/jwks.json. */
  COGNITO_JWKS_URL: z.url().optional(),
  /** Where Cognito's /logout sends the browser back; must be an allowed sign-out URL. Default: APP_URL/login. */
  COGNITO_LOGOUT_URI: z.url().optional(),
  /** The sign-in button says "Sign in with <this>". */
  COGNITO_LABEL: z.string().min(1).max(60).default('school account'),
  COGNITO_SCOPES: z.string().default('openid email profile'),
  /** On SIGTERM: how long requests in flight and the clean-up get before the process gives up (exit 1), ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /**
   * How long a request may wait on Postgres: for a new connection, and for one statement's
   * answer. Past either it fails fast with 503 + Retry-After instead of hanging.
   */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(20_000),
  /**
   * Where mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465.
   * Unset: each mail is written to DATA_DIR/mail/ as an .eml file instead (app/mail/transport.server.ts).
   */
  SMTP_URL: z
    .url()
    .refine((value) => /^smtps?:\/\//i.test(value), 'must start with smtp:// or smtps://')
    .optional(),
  /** The From of every mail: an address, optionally with a name ("ClassCast <no-reply@school.edu>"). */
  MAIL_FROM: z
    .string()
    .refine((value) => !/[\r\n]/.test(value), 'must be one line')
    .default('ClassCast <no-reply@localhost>'),
  /** What the admin health page names as the running release (set by the deploy); npm sets npm_package_version. */
  APP_VERSION: z.string().trim().min(1).optional(),
  GIT_COMMIT: z.string().trim().min(1).optional(),
  /** Tests only (app/utils/crash-points.server.ts): the named point where the process SIGKILLs itself. */
  CRASH_AT: z.enum(CRASH_POINTS).optional(),
});

/** Cognito sign-in, resolved: null when not configured. */
export interface CognitoConfig {
  /** Hosted domain origin, no trailing slash. */
  domain: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  issuer: string;
  jwksUrl: string;
  logoutUri: string | undefined;
  label: string;
  scopes: string[];
}

export type Config = Omit<
  z.infer<typeof EnvSchema>,
  'SESSION_SECRET' | 'JWT_SECRET' | 'REALTIME_BUS' | 'STREAM_JOBS'
> & {
  cognito: CognitoConfig | null;
  REALTIME_BUS: 'memory' | 'postgres';
  STREAM_JOBS: 'poller' | 'lambda' | 'off';
  SESSION_SECRET: string;
  JWT_SECRET: string;
  /** LTI_KEY_SECRET (or SESSION_SECRET) split: the first seals new tool keys, all open stored ones. */
  ltiKeySecrets: string[];
  isProduction: boolean;
  appUrl: string;
  /** Whether to start the in-process S3 stand-in. */
  useLocalS3: boolean;
  /** How many server processes actually run, and why only one when WEB_CONCURRENCY asked for more. */
  processes: { count: number; singleProcessReason?: string };
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n');
}

export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // Empty strings in .env files mean "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(`Invalid configuration:\n${formatIssues(result.error)}`);
  }
  const parsed = result.data;
  const isProduction = parsed.NODE_ENV === 'production';
  const missing: string[] = [];
  const secrets = { SESSION_SECRET: parsed.SESSION_SECRET, JWT_SECRET: parsed.JWT_SECRET };
  for (const name of ['SESSION_SECRET', 'JWT_SECRET'] as const) {
    if (secrets[name]) continue;
    if (isProduction) {
      missing.push(name);
    } else {
      // Random per process, never a constant: sessions simply end on restart in dev.
      secrets[name] = randomBytes(32).toString('hex');
      if (parsed.NODE_ENV !== 'test') {
        console.warn(`[config] ${name} is not set: using a random per-process value (dev only).`);
      }
    }
  }
  if (missing.length) {
    throw new ConfigError(
      `Invalid configuration:\n${missing
        .map((n) => `  - ${n}: required in production (at least 32 characters, e.g. \`openssl rand -hex 32\`)`)
        .join('\n')}`,
    );
  }
  if (parsed.DATA_BACKEND === 'dynamodb' && !parsed.DYNAMODB_ENDPOINT && !parsed.DYNAMODB_LOCAL && !isProduction) {
    // Outside production, talking to real AWS needs an explicit choice.
    if (!parsed.AWS_ACCESS_KEY_ID) {
      throw new ConfigError(
        'Invalid configuration:\n  - DYNAMODB_ENDPOINT: set it (e.g. http://127.0.0.1:8000), or DYNAMODB_LOCAL=true, or AWS credentials',
      );
    }
  }
  const realtimeUrl = parsed.REALTIME_DATABASE_URL ?? parsed.DATABASE_URL;
  const realtimeBus =
    parsed.REALTIME_BUS ?? (parsed.DATA_BACKEND === 'postgres' && parsed.DATABASE_URL ? 'postgres' : 'memory');
  if (realtimeBus === 'postgres' && !realtimeUrl) {
    throw new ConfigError(
      'Invalid configuration:\n  - REALTIME_BUS: postgres needs DATABASE_URL or REALTIME_DATABASE_URL (a real PostgreSQL server; the embedded one cannot deliver NOTIFY across connections)',
    );
  }
  const streamJobs = parsed.STREAM_JOBS ?? (parsed.DATA_BACKEND === 'dynamodb' ? 'poller' : 'off');
  if (streamJobs !== 'off' && parsed.DATA_BACKEND !== 'dynamodb') {
    throw new ConfigError(
      `Invalid configuration:\n  - STREAM_JOBS: ${streamJobs} reads DynamoDB Streams; with DATA_BACKEND=${parsed.DATA_BACKEND} only "off" (the outbox runner) applies`,
    );
  }
  const cognito = cognitoConfig(parsed);
  return {
    ...parsed,
    cognito,
    STREAM_JOBS: streamJobs,
    processes: serverProcesses(parsed, realtimeBus, isProduction),
    REALTIME_BUS: realtimeBus,
    SESSION_SECRET: secrets.SESSION_SECRET as string,
    JWT_SECRET: secrets.JWT_SECRET as string,
    ltiKeySecrets: splitSecrets(parsed.LTI_KEY_SECRET ?? (secrets.SESSION_SECRET as string)),
    isProduction,
    useLocalS3: parsed.S3_LOCAL ?? (!parsed.S3_ENDPOINT && !isProduction),
    appUrl: parsed.APP_URL ?? `http://${parsed.HOST === '0.0.0.0' ? 'localhost' : parsed.HOST}:${parsed.PORT}`,
  };
}

function splitSecrets(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

const COGNITO_REQUIRED =
  'set COGNITO_DOMAIN, COGNITO_CLIENT_ID, COGNITO_REDIRECT_URI and COGNITO_ISSUER (or COGNITO_USER_POOL_ID) together, or none of them';

/**
 * Cognito is on only when every setting it needs is there: a half-configured pool would show
 * a sign-in button that cannot work, or accept Bearer tokens from an unchecked issuer.
 */
function cognitoConfig(parsed: z.infer<typeof EnvSchema>): CognitoConfig | null {
  const given = [
    'COGNITO_DOMAIN',
    'COGNITO_CLIENT_ID',
    'COGNITO_CLIENT_SECRET',
    'COGNITO_REDIRECT_URI',
    'COGNITO_ISSUER',
    'COGNITO_USER_POOL_ID',
    'COGNITO_JWKS_URL',
    'COGNITO_LOGOUT_URI',
  ] as const;
  if (!given.some((name) => parsed[name] !== undefined)) return null;
  const region = parsed.COGNITO_REGION ?? parsed.AWS_REGION;
  const issuer =
    parsed.COGNITO_ISSUER ??
    (parsed.COGNITO_USER_POOL_ID
      ? `https://cognito-idp.${region}.amazonaws.com/${parsed.COGNITO_USER_POOL_ID}`
      : undefined);
  const missing = (
    [
      ['COGNITO_DOMAIN', parsed.COGNITO_DOMAIN],
      ['COGNITO_CLIENT_ID', parsed.COGNITO_CLIENT_ID],
      ['COGNITO_REDIRECT_URI', parsed.COGNITO_REDIRECT_URI],
      ['COGNITO_ISSUER', issuer],
    ] as const
  ).filter(([, value]) => !value);
  if (missing.length) {
    throw new ConfigError(
      `Invalid configuration:\n${missing.map(([name]) => `  - ${name}: missing (${COGNITO_REQUIRED})`).join('\n')}`,
    );
  }
  const trimmed = (url: string) => url.replace(/\/+$/, '');
  return {
    domain: trimmed(parsed.COGNITO_DOMAIN as string),
    clientId: parsed.COGNITO_CLIENT_ID as string,
    clientSecret: parsed.COGNITO_CLIENT_SECRET ?? null,
    redirectUri: parsed.COGNITO_REDIRECT_URI as string,
    issuer: trimmed(issuer as string),
    jwksUrl: parsed.COGNITO_JWKS_URL ?? `${trimmed(issuer as string)}/.well-known/jwks.json`,
    logoutUri: parsed.COGNITO_LOGOUT_URI,
    label: parsed.COGNITO_LABEL,
    scopes: parsed.COGNITO_SCOPES.split(/\s+/).filter(Boolean),
  };
}

/**
 * Several processes need every piece of state outside them: the database on a server and
 * live events on a bus that crosses processes. Anything in-process (PGlite, the DynamoDB
 * stand-in, the memory bus) exists once, so it runs one process and says why.
 */
function serverProcesses(
  parsed: z.infer<typeof EnvSchema>,
  realtimeBus: 'memory' | 'postgres',
  isProduction: boolean,
): Config['processes'] {
  const asked = parsed.WEB_CONCURRENCY;
  if (asked === 1) return { count: 1 };
  const reason = !isProduction
    ? 'development mode (remix dev) watches and reloads one process'
    : parsed.DATA_BACKEND === 'postgres' && !parsed.DATABASE_URL
      ? 'the embedded PostgreSQL (PGlite) lives inside one process; set DATABASE_URL to a PostgreSQL server'
      : parsed.DATA_BACKEND === 'dynamodb' && !parsed.DYNAMODB_ENDPOINT && parsed.DYNAMODB_LOCAL
        ? 'the DynamoDB stand-in (DYNAMODB_LOCAL without DYNAMODB_ENDPOINT) lives inside one process; set DYNAMODB_ENDPOINT'
        : realtimeBus === 'memory'
          ? 'live events travel over the in-process bus, which other processes never hear; set REALTIME_BUS=postgres (with REALTIME_DATABASE_URL when the data is on DynamoDB)'
          : undefined;
  return reason
    ? { count: 1, singleProcessReason: `WEB_CONCURRENCY=${asked}: running one process, because ${reason}.` }
    : { count: asked };
}

/**
 * The environment for a child process we start (the Prisma CLI): ours, with overrides.
 * Lives here so this file stays the only reader of process.env.
 */
export function childProcessEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

let cached: Config | undefined;

/** The process-wide configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * The log's threshold. The logger exists before the configuration is parsed (a start-up error
 * must be loggable), so this reads only LOG_LEVEL and NODE_ENV; a bad LOG_LEVEL falls back to
 * the default here and is reported by config() like any other setting.
 */
export function logLevel(): LogLevel {
  const chosen = EnvSchema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL || undefined);
  if (chosen.success && chosen.data) return chosen.data;
  return process.env.NODE_ENV === 'test' ? 'warn' : 'info';
}

/** For the server entry: adopt the port actually bound (PORT=0 picks one). */
export function setListeningPort(port: number): void {
  const current = config();
  cached = { ...current, PORT: port, appUrl: current.APP_URL ?? `http://${current.HOST}:${port}` };
}

/**
 * The settings a stream-job Lambda needs (app/jobs/lambda.ts), validated by the same rules as
 * the server's: the tables and the bus, none of the web tier's secrets.
 */
const JobsEnvSchema = EnvSchema.pick({
  DYNAMODB_ENDPOINT: true,
  DYNAMODB_TABLE_PREFIX: true,
  AWS_REGION: true,
  REALTIME_BUS: true,
  REALTIME_DATABASE_URL: true,
  DATABASE_URL: true,
  // Grade passback signs its LMS token requests with the tool key these open (lti-grades.server.ts).
  LTI_KEY_SECRET: true,
  APP_URL: true,
});
export type JobsConfig = z.infer<typeof JobsEnvSchema> & {
  REALTIME_BUS: 'memory' | 'postgres';
  /** LTI_KEY_SECRET split; null when unset: this Lambda then leaves grades to the LMS queued (retried). */
  ltiKeySecrets: string[] | null;
};

/** The stream-job Lambda's settings, from this process's environment. */
export function jobsConfig(): JobsConfig {
  return parseJobsConfig(process.env);
}

export function parseJobsConfig(env: Readonly<Record<string, string | undefined>>): JobsConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = JobsEnvSchema.safeParse(cleaned);
  if (!result.success) throw new ConfigError(`Invalid configuration:\n${formatIssues(result.error)}`);
  const realtimeUrl = result.data.REALTIME_DATABASE_URL ?? result.data.DATABASE_URL;
  const bus = result.data.REALTIME_BUS ?? (realtimeUrl ? 'postgres' : 'memory');
  if (bus === 'postgres' && !realtimeUrl) {
    throw new ConfigError('Invalid configuration:\n  - REALTIME_BUS: postgres needs REALTIME_DATABASE_URL');
  }
  const ltiKeySecrets = result.data.LTI_KEY_SECRET ? splitSecrets(result.data.LTI_KEY_SECRET) : null;
  return { ...result.data, REALTIME_BUS: bus, ltiKeySecrets };
}
