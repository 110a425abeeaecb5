import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres, type LocalPostgres } from '../db/local-postgres';
import { ALL_SEARCH_ATTRIBUTES } from '../common/search-attributes';
import { ensureTemporalCli, hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import { workflowsPath } from '../workers/create-workers';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalUiUrl: string;
    databaseUrl: string;
    workflowBundleCode: string;
  }
}

// One real Temporal dev server and one Postgres for the whole run; each test file gets its own
// database and task queue from test/helpers/stack.ts, so files stay independent.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  hydratePostgresBinaries();
  const cli = await ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path', path: cli } } : {}),
      ip: '127.0.0.1',
      ui: true,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  const [host, port] = env.address.split(':');

  let postgres: LocalPostgres | undefined;
  let dataDir: string | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'fc-refresh-pg-'));
    postgres = await startLocalPostgres({ dataDir, persistent: false, fast: true });
    databaseUrl = postgres.url;
  }

  project.provide('temporalAddress', env.address);
  project.provide('temporalUiUrl', `http://${host}:${Number(port) + 1000}`);
  project.provide('databaseUrl', databaseUrl);
  // Bundled once for the run: every file's workers load the same code, as production workers would.
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  project.provide('workflowBundleCode', bundle.code);

  return async () => {
    await env.teardown();
    await postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};
