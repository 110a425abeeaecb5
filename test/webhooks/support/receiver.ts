import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import pino from 'pino';
import { buildWebhookApp } from '../../../webhooks/app';
import { stripe, WEBHOOK_SECRET } from './stripe-events';

export interface Receiver {
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real receiver on a free loopback port. */
export async function startReceiver(deps: { pool: pg.Pool; temporal: Client; taskQueue: string; temporalTimeoutMs?: number }): Promise<Receiver> {
  const app = buildWebhookApp({ ...deps, stripe, webhookSecret: WEBHOOK_SECRET, logger: pino({ level: 'silent' }) });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl, close: () => app.close() };
}
