import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres, type LocalPostgres } from '../db/local-postgres';
import { startLocalTemporal } from '../dev/local-temporal';
import { hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import { quietBundlerLogger, workflowsPath } from '../workers/create-workers';
import { createTemplateDatabase } from './helpers/database';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalUiUrl: string;
    databaseUrl: string;
    /** A migrated database each file's database is copied from (test/helpers/database.ts). */
    templateDatabase: string;
    workflowBundleCode: string;
    /** The same bundle as a file, for worker processes (WORKFLOW_BUNDLE_PATH): they then skip bundling at start. */
    workflowBundlePath: string;
  }
}

// One real Temporal dev server and one Postgres for the whole run; each test file gets its own
// database and task queue from test/helpers/stack.ts, so files stay independent.
// TEMPORAL_ADDRESS runs the tests against that server instead (e.g. `npm run cluster`), whose namespace `default`
// must already have the search attributes (`fc-refresh setup`); the Web UI test then needs TEMPORAL_UI_URL.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  hydratePostgresBinaries();
  const temporal = process.env.TEMPORAL_ADDRESS
    ? { address: process.env.TEMPORAL_ADDRESS, uiUrl: process.env.TEMPORAL_UI_URL ?? null, stop: async () => {} }
    : await startLocalTemporal({ ui: true });

  let postgres: LocalPostgres | undefined;
  let dataDir: string | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'fc-refresh-pg-'));
    postgres = await startLocalPostgres({ dataDir, persistent: false, fast: true });
    databaseUrl = postgres.url;
  }

  project.provide('temporalAddress', temporal.address);
  project.provide('temporalUiUrl', temporal.uiUrl ?? '');
  project.provide('databaseUrl', databaseUrl);
  project.provide('templateDatabase', await createTemplateDatabase(databaseUrl));
  // Bundled once for the run: every file's workers load the same code, as production workers would.
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  project.provide('workflowBundleCode', bundle.code);
  const bundleDir = await mkdtemp(join(tmpdir(), 'fc-refresh-bundle-'));
  const bundlePath = join(bundleDir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await temporal.stop();
    await postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  };
}
