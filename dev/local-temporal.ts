import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../common/search-attributes';
import { ensureTemporalCli } from '../scripts/ensure-tools.mjs';

export interface LocalTemporal {
  address: string;
  /** The Web UI, when it was asked for. */
  uiUrl: string | null;
  stop(): Promise<void>;
}

export interface LocalTemporalOptions {
  /** A database file keeps workflows and their history across restarts (`npm run dev`); without one, in memory. */
  dbFile?: string;
  /** The frontend port; a free one when absent. */
  port?: number;
  /** Serve the Web UI, on `uiPort` or else the frontend port + 1000 (the CLI's default). */
  ui?: boolean;
  uiPort?: number;
}

/**
 * The Temporal CLI dev server (the pinned build, TEMPORAL_CLI_PATH or PATH; scripts/ensure-tools.mjs) on
 * loopback, with fc-refresh's custom search attributes registered at every start. Used by `npm run dev`, the
 * test run's global setup and the benchmarks.
 */
export async function startLocalTemporal(options: LocalTemporalOptions = {}): Promise<LocalTemporal> {
  const cli = await ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path', path: cli } } : {}),
      ip: '127.0.0.1',
      ...(options.port ? { port: options.port } : {}),
      ui: options.ui ?? false,
      ...(options.uiPort ? { uiPort: options.uiPort } : {}),
      ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
  const [host, port] = env.address.split(':');
  const uiUrl = options.ui ? `http://${host}:${options.uiPort ?? Number(port) + 1000}` : null;
  return { address: env.address, uiUrl, stop: () => env.teardown() };
}
