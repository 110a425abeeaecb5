// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { z } from 'zod';
import { resolveTemporalConnection, type TemporalSettingsResolution } from './temporal-connection';

// Every process reads its settings from the environment once, at start, and refuses to run with a
// missing or malformed variable, naming it. Secrets have no defaults and are never printed.

/** Deprecation lines already printed: one per variable per process, however often the config is loaded. */
const deprecationsPrinted = new Set<string>();

/**
 * TEMPORAL_TASK_QUEUE is fc-refresh's own; where the server is and how to authenticate are Temporal's standard
 * settings (common/node/temporal-connection.ts), so the whole environment is handed on.
 */
const temporalSchema = z.looseObject({ TEMPORAL_TASK_QUEUE: z.string().min(1).default('fc-refresh') }).transform((env, ctx) => {
  let resolution: TemporalSettingsResolution;
  try {
    resolution = resolveTemporalConnection(env as Record<string, string | undefined>);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_CONFIG_FILE'], message: `Temporal connection settings: ${err instanceof Error ? err.message : String(err)}` });
    return z.NEVER;
  }
  const { address } = resolution.settings.connectionOptions;
  if (!/^[^\s:]+:\d+$/.test(address)) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_ADDRESS'], message: `TEMPORAL_ADDRESS (or the profile's address) must be host:port, not "${address}"` });
    return z.NEVER;
  }
  for (const { variable, replacement } of resolution.deprecated) {
    if (deprecationsPrinted.has(variable)) continue;
    deprecationsPrinted.add(variable);
    process.stderr.write(`fc-refresh: ${variable} is deprecated; set ${replacement} instead\n`);
  }
  return { TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE, temporal: resolution.settings };
});

const databaseSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** `false` behind a pooler that does not keep named prepared statements (PgBouncer in transaction mode before 1.21). */
  FC_PG_NAMED_STATEMENTS: z.enum(['true', 'false'], 'must be true or false').default('true'),
  /**
   * A direct (or session-mode pooler) URL for what needs a session, when DATABASE_URL goes through a transaction-mode
   * pooler: LISTEN (the change notifier, `changes --follow`) and migrations (a session advisory lock). Default DATABASE_URL.
   */
  DATABASE_SESSION_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
});

const stripeSchema = z.object({
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret key (sk_test_… or sk_live_…)'),
  STRIPE_API_BASE: z.url('must be a URL such as http://127.0.0.1:12111').optional(),
  /** Stripe requests per second across all workers (common/node/fleet-request-budget.ts; Stripe test mode allows 25/s). */
  STRIPE_MAX_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
  /** `transacted_at` ranges a first transaction sync lists side by side, within the budget above (1: sequential). */
  FC_FIRST_SYNC_RANGES: z.coerce.number().int().min(1).max(32).default(1),
});

const webhookSchema = z.object({
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must be a webhook signing secret (whsec_…)'),
  WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(4242),
  WEBHOOK_HOST: z.string().min(1).default('0.0.0.0'),
});

const metricsSchema = z.object({
  /** Where the worker serves Prometheus metrics (SDK runtime metrics plus fc_refreshes_total, …); "off" disables. */
  WORKER_METRICS_ADDRESS: z.union([z.literal('off'), z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port or off')]).default('0.0.0.0:9464'),
});

const scheduleSchema = z.object({
  /** `true`: the worker applies the daily sync schedule (client/schedules.ts defaults) when it starts. */
  FC_DAILY_SYNC_APPLY_ON_START: z.enum(['true', 'false'], 'must be true or false').default('false'),
});

const workflowBundleSchema = z.object({
  /** A prebuilt workflow bundle (`npm run build:workflows`); without it, production uses dist/workflow-bundle.js when built. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  NODE_ENV: z.string().optional(),
});

const days = (fallback: number) => z.coerce.number('must be a positive number of days').positive('must be a positive number of days').max(36_500).default(fallback);

/** How long data is kept that the product no longer needs (README "Retention"); pruned daily and by `fc-refresh prune`. */
const retentionSchema = z.object({
  /** Change rows every registered consumer has read are kept this long. */
  FC_CHANGES_RETENTION_DAYS: days(7),
  /** Change rows older than this are pruned even when a consumer has not read them; that consumer must resync. */
  FC_CHANGES_MAX_AGE_DAYS: days(30),
  /** Owners of superseded ownership snapshots (not the account's current one), stored longer ago than this. */
  FC_OWNERS_RETENTION_DAYS: days(30),
  /** Payloads of processed Stripe events received longer ago than this (the row stays, for deduplication). */
  FC_EVENT_PAYLOAD_RETENTION_DAYS: days(30),
  /** Expected values (PII) of ownership verifications made longer ago than this (the result stays). */
  FC_OWNERSHIP_CHECK_RETENTION_DAYS: days(30),
  /** `true`: the worker creates the daily prune schedule when it does not exist. */
  FC_PRUNE_SCHEDULE_ON_START: z.enum(['true', 'false'], 'must be true or false').default('true'),
});

export const configSections = {
  metrics: metricsSchema,
  temporal: temporalSchema,
  database: databaseSchema,
  stripe: stripeSchema,
  webhook: webhookSchema,
  schedule: scheduleSchema,
  retention: retentionSchema,
  workflowBundle: workflowBundleSchema,
};

type Sections = typeof configSections;
type SectionName = keyof Sections;
export type ConfigOf<K extends SectionName> = z.infer<Sections[K]>;
type Merge<K extends SectionName> = UnionToIntersection<ConfigOf<K>>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the named sections of the environment; throws ConfigError naming each bad variable. */
export function loadConfig<K extends SectionName>(names: K[], env: NodeJS.ProcessEnv = process.env): Merge<K> {
  const merged: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of names) {
    const parsed = configSections[name].safeParse(env);
    if (parsed.success) Object.assign(merged, parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        const variable = String(issue.path[0] ?? name);
        const missing = env[variable] === undefined || env[variable] === '';
        // A custom issue's message is whole: it may be about a value read from a file, not the variable.
        if (issue.code === 'custom') problems.push(issue.message);
        else problems.push(missing ? `${variable} is required` : `${variable} ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merged as Merge<K>;
}

/** For entry points: print one clear line per problem and exit, instead of a stack trace. */
export function loadConfigOrExit<K extends SectionName>(names: K[]): Merge<K> {
  try {
    return loadConfig(names);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) process.stderr.write(`fc-refresh: configuration error: ${problem}\n`);
      process.exit(2);
    }
    throw err;
  }
}
