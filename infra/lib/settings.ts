/**
 * The deployment's settings, from CDK context (`-c key=value`, or "context" in infra/cdk.json),
 * checked once with zod so a wrong value stops the synth with its name. Defaults let the stack
 * synthesize on a laptop; a real deployment sets at least appUrl and cognitoDomainPrefix.
 */
import { z } from 'zod';
import { DEFAULT_TABLE_PREFIX } from '../../app/data/dynamo/tables';
import type { ClassCastStackProps } from './classcast-stack';

const list = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .or(z.array(z.string()));

/** The CLI passes every context value as text; cdk.json may hold the object itself. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const url = z.url({ protocol: /^https?$/ });

const SettingsSchema = z.object({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/)
    .default('ClassCast'),
  /** Explicit target; both absent → an env-agnostic template. */
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region like eu-west-1')
    .optional(),
  tablePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/, 'may only contain letters, digits, _ . -')
    .default(DEFAULT_TABLE_PREFIX),
  /** The app's public URL (APP_URL): its origin may upload to the bucket. */
  appUrl: url.default('http://localhost:3000'),
  /** More origins that upload or play videos directly (rare: an LMS frames our pages, it does not upload). */
  extraOrigins: list.pipe(z.array(url)).default([]),
  callbackUrls: list.pipe(z.array(url)).optional(),
  logoutUrls: list.pipe(z.array(url)).optional(),
  cognitoDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and hyphens, 1-63 characters')
    .refine((v) => !/aws|amazon|cognito/.test(v), 'Cognito refuses prefixes containing aws, amazon or cognito')
    .default('classcast'),
  selfSignUp: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
  /** Extra environment for the job functions, as a JSON object (or an object in cdk.json). */
  jobEnvironment: z
    .preprocess(
      (v) => (typeof v === 'string' ? jsonOrText(v) : v),
      z.record(z.string(), z.string(), { error: 'must be a JSON object of string values' }),
    )
    // Lambda sets these itself and refuses a function that names them.
    .refine(
      (env) => !Object.keys(env).some((k) => /^(AWS_|LAMBDA_|_)/.test(k)),
      'AWS_*, LAMBDA_* and _* are reserved by Lambda',
    )
    .default({}),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const SETTING_NAMES = Object.keys(SettingsSchema.shape) as (keyof Settings)[];

/** Where the Cognito sign-in comes back to on the app (the Cognito route's path). */
export const COGNITO_CALLBACK_PATH = '/auth/cognito/callback';

export function parseSettings(read: (name: string) => unknown): Settings {
  const raw = Object.fromEntries(SETTING_NAMES.map((n) => [n, read(n)]).filter(([, v]) => v !== undefined && v !== ''));
  const result = SettingsSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid infra settings (CDK context):\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The stack's props from the settings and the bundle directory. */
export function stackProps(settings: Settings, jobsBundleDir: string): ClassCastStackProps {
  const app = new URL(settings.appUrl);
  return {
    ...(settings.account || settings.region ? { env: { account: settings.account, region: settings.region } } : {}),
    description: 'ClassCast: DynamoDB tables, video bucket, Cognito user pool, stream jobs, web tier policy',
    tablePrefix: settings.tablePrefix,
    appOrigins: [...new Set([app.origin, ...settings.extraOrigins.map((o) => new URL(o).origin)])],
    callbackUrls: settings.callbackUrls ?? [new URL(COGNITO_CALLBACK_PATH, app).href],
    logoutUrls: settings.logoutUrls ?? [new URL('/', app).href],
    cognitoDomainPrefix: settings.cognitoDomainPrefix,
    selfSignUp: settings.selfSignUp,
    jobsBundleDir,
    jobEnvironment: settings.jobEnvironment,
  };
}
