import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../common/search-attributes';
import { ensureTemporalCli } from '../scripts/ensure-tools.mjs';

export interface LocalTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * The Temporal CLI dev server with its Web UI and a database file, so workflows and their history survive a
 * restart of `npm run dev`. The custom search attributes are registered at every start.
 */
export async function startLocalTemporal(options: { dbFile: string; port: number; uiPort: number }): Promise<LocalTemporal> {
  const cli = await ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path', path: cli } } : {}),
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      dbFilename: options.dbFile,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  return { address: env.address, uiUrl: `http://127.0.0.1:${options.uiPort}`, stop: () => env.teardown() };
}
