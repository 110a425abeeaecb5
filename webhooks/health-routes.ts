import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { WebhookMetrics } from './metrics';

/** A readiness probe must answer within the orchestrator's probe timeout, even when a dependency hangs. */
const DEPENDENCY_CHECK_TIMEOUT_MS = 2_000;

/**
 * /healthz: the process is up. /readyz: Postgres and Temporal both answer, so deliveries can be handled (a load
 * balancer stops sending while either is down; Stripe retries meanwhile). /metrics: Prometheus.
 */
export async function healthRoutes(app: FastifyInstance, options: { pool: pg.Pool; temporal: Client; metrics: WebhookMetrics }): Promise<void> {
  const { pool, temporal, metrics } = options;

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    const [postgres, temporalServer] = await Promise.all([
      answers(() => pool.query('select 1')),
      answers(() => temporal.withDeadline(Date.now() + DEPENDENCY_CHECK_TIMEOUT_MS, () => temporal.workflowService.getSystemInfo({}))),
    ]);
    const ready = postgres && temporalServer;
    return reply.code(ready ? 200 : 503).send({ ready, postgres, temporal: temporalServer });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DEPENDENCY_CHECK_TIMEOUT_MS);
  });
  const checked = check().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([checked, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
