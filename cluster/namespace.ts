import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ALL_SEARCH_ATTRIBUTES } from '../common/search-attributes';

const run = promisify(execFile);
/** gRPC ALREADY_EXISTS: @grpc/grpc-js is not a direct dependency, so its status enum is not imported. */
const GRPC_ALREADY_EXISTS = 6;
const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/**
 * Makes a fresh cluster ready for fc-refresh: registers the namespace (a cluster starts with none), then runs
 * `fc-refresh setup` itself, as an operator would, to add the custom search attributes, and waits until the
 * frontend accepts queries on them (the namespace cache picks new attributes up a few seconds later).
 */
export async function prepareNamespace(address: string, namespace: string, retention = '3 days'): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await registerNamespace(connection, namespace, retention);
    await until('the namespace is served', () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }));
    await run(process.execPath, ['--import', 'tsx', 'client/cli/main.ts', 'setup'], {
      cwd: projectRoot,
      env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
    });
    const query = ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name} = 'probe'`).join(' AND ');
    await until('the search attributes are queryable', () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query }));
  } finally {
    await connection.close();
  }
}

async function registerNamespace(connection: Connection, namespace: string, retention: string): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retention) });
  } catch (err) {
    if (!(isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS)) throw err;
  }
}

async function until(what: string, attempt: () => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${(err as Error).message}`);
      await sleep(500);
    }
  }
}
