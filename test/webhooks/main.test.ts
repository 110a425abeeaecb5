import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, inject, test } from 'vitest';
import { createTestDatabase } from '../helpers/database';
import { WEBHOOK_SECRET } from './support/stripe-events';

let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('databaseUrl'), inject('templateDatabase'));
});

test('`npm run webhooks` logs one line when ready, serves, and stops cleanly on SIGTERM', async () => {
  const receiver = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../webhooks/main.ts', import.meta.url))], {
    env: {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: databaseUrl,
      STRIPE_SECRET_KEY: 'sk_test_unused',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WEBHOOK_HOST: '127.0.0.1',
      WEBHOOK_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: receiver.stdout });
    const [firstLine] = (await once(lines, 'line')) as [string];
    const ready = JSON.parse(firstLine) as { msg: string; address: string };
    expect(ready.msg).toBe('webhook receiver ready');

    expect((await fetch(`${ready.address}/readyz`)).status).toBe(200);

    const exited = once(receiver, 'exit');
    receiver.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  } finally {
    if (receiver.exitCode === null) receiver.kill('SIGKILL');
  }
});
