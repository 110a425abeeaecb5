import { z } from 'zod';
import { RETRY_SCHEDULES, type LatencyRule, type RateLimitInput } from './control-types';
import { seedDemo } from './demo';
import { startSimulator } from './server';
import { DEFAULT_WEBHOOK_SECRET } from './simulator';

// Standalone simulator: `npm run simulator`. Point the SDK (or STRIPE_API_BASE) at the printed URL.
// Prints exactly one line when ready; a bad variable prints one line naming it and exits 2.

const portMessage = 'must be a port number (0-65535)';
const latencyMessage = 'must be a whole number of milliseconds (0-600000)';
const rateLimitMessage = "must be 'off', 'stripe' (test 25/s, live 100/s, 25/s per endpoint) or requests per second";
const routeLatencyMessage = "must be comma-separated <route>:<minMs>-<maxMs> rules, e.g. 'list:150-400,retrieve:50-120'";

/** 'off' | 'stripe' | <n>: n requests per second for every key, no per-endpoint limit. */
const rateLimitEnv = z.string().transform((value, ctx): RateLimitInput => {
  if (value === 'off') return { enabled: false };
  if (value === 'stripe') return { enabled: true };
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1) return { enabled: true, testPerSecond: n, livePerSecond: n, endpointPerSecond: 0 };
  ctx.addIssue({ code: 'custom', message: rateLimitMessage });
  return z.NEVER;
});

/** "list:150-400,POST /v1/...:100-200": a route may itself contain ':' (":id"), so the numbers are matched from the end. */
const latencyEnv = z.string().transform((value, ctx): LatencyRule[] => {
  const rules: LatencyRule[] = [];
  for (const item of value.split(',')) {
    const match = /^(.+):(\d+)-(\d+)$/.exec(item.trim());
    const [minMs, maxMs] = [Number(match?.[2]), Number(match?.[3])];
    if (!match?.[1] || maxMs < minMs || maxMs > 120_000) {
      ctx.addIssue({ code: 'custom', message: routeLatencyMessage });
      return z.NEVER;
    }
    rules.push({ route: match[1], minMs, maxMs });
  }
  return rules;
});

const envSchema = z.object({
  SIMULATOR_PORT: z.coerce.number({ error: portMessage }).int(portMessage).min(0, portMessage).max(65535, portMessage).default(12111),
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_WEBHOOK_URL: z.url('must be a URL such as http://127.0.0.1:4242/webhooks/stripe').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must be a webhook signing secret (whsec_...)').default(DEFAULT_WEBHOOK_SECRET),
  SIMULATOR_DEMO: z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' }).default('0'),
  SIMULATOR_REFRESH_LATENCY_MS: z.coerce.number({ error: latencyMessage }).int(latencyMessage).min(0, latencyMessage).max(600_000, latencyMessage).default(50),
  SIMULATOR_SEED: z.coerce.number({ error: 'must be an integer' }).int('must be an integer').default(1),
  SIMULATOR_WEBHOOK_CONCURRENCY: z.coerce.number({ error: 'must be 1-64' }).int('must be 1-64').min(1, 'must be 1-64').max(64, 'must be 1-64').default(4),
  SIMULATOR_WEBHOOK_RETRY_SCHEDULE: z.enum(RETRY_SCHEDULES, { error: `must be one of ${RETRY_SCHEDULES.join(', ')}` }).default('exponential'),
  SIMULATOR_WEBHOOK_RETRY_TIME_SCALE: z.coerce.number({ error: 'must be a number in [0, 1]' }).min(0, 'must be a number in [0, 1]').max(1, 'must be a number in [0, 1]').default(0.001),
  SIMULATOR_DEFAULT_COOLDOWN_SECONDS: z.coerce.number({ error: 'must be whole seconds' }).int('must be whole seconds').min(0, 'must be whole seconds').default(0),
  SIMULATOR_RATE_LIMIT: rateLimitEnv.default({ enabled: false }),
  SIMULATOR_LATENCY: latencyEnv.optional(),
});

function readEnv(env: NodeJS.ProcessEnv): z.infer<typeof envSchema> {
  // Empty strings mean "unset", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    process.stderr.write(`simulator: configuration error: ${String(issue.path[0])} ${issue.message}\n`);
  }
  process.exit(2);
}

async function main(): Promise<void> {
  const env = readEnv(process.env);
  const running = await startSimulator({
    port: env.SIMULATOR_PORT,
    host: env.SIMULATOR_HOST,
    webhookUrl: env.SIMULATOR_WEBHOOK_URL ?? null,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    refreshLatencyMs: env.SIMULATOR_REFRESH_LATENCY_MS,
    seed: env.SIMULATOR_SEED,
    webhookConcurrency: env.SIMULATOR_WEBHOOK_CONCURRENCY,
    webhookRetry: { schedule: env.SIMULATOR_WEBHOOK_RETRY_SCHEDULE, timeScale: env.SIMULATOR_WEBHOOK_RETRY_TIME_SCALE },
    defaultCooldownSeconds: env.SIMULATOR_DEFAULT_COOLDOWN_SECONDS,
    rateLimit: env.SIMULATOR_RATE_LIMIT,
    ...(env.SIMULATOR_LATENCY ? { latency: env.SIMULATOR_LATENCY } : {}),
  });
  if (env.SIMULATOR_DEMO === '1' || env.SIMULATOR_DEMO === 'true') seedDemo(running.simulator);
  process.stdout.write(`simulator listening on ${running.url}\n`);

  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
