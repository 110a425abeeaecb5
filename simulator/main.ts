import { z } from 'zod';
import { seedDemo } from './demo';
import { startSimulator } from './server';
import { DEFAULT_WEBHOOK_SECRET } from './simulator';

// Standalone simulator: `npm run simulator`. Point the SDK (or STRIPE_API_BASE) at the printed URL.
// Prints exactly one line when ready; a bad variable prints one line naming it and exits 2.

const portMessage = 'must be a port number (0-65535)';
const latencyMessage = 'must be a whole number of milliseconds (0-600000)';

const envSchema = z.object({
  SIMULATOR_PORT: z.coerce.number({ error: portMessage }).int(portMessage).min(0, portMessage).max(65535, portMessage).default(12111),
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_WEBHOOK_URL: z.url('must be a URL such as http://127.0.0.1:4242/webhooks/stripe').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must be a webhook signing secret (whsec_...)').default(DEFAULT_WEBHOOK_SECRET),
  SIMULATOR_DEMO: z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' }).default('0'),
  SIMULATOR_REFRESH_LATENCY_MS: z.coerce.number({ error: latencyMessage }).int(latencyMessage).min(0, latencyMessage).max(600_000, latencyMessage).default(50),
  SIMULATOR_SEED: z.coerce.number({ error: 'must be an integer' }).int('must be an integer').default(1),
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
