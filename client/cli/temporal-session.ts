import type { Client } from '@temporalio/client';
import { loadConfig, type ConfigOf } from '../../common/node/config';
import { connectTemporalClient } from '../connect';

/** A CLI user waits for an answer: an unreachable server should say so in seconds, not hang. */
const CLI_CONNECT_TIMEOUT_MS = 5_000;

/** Loads the Temporal settings, connects, runs `work` and always closes the connection. */
export async function withTemporalClient<T>(work: (client: Client, config: ConfigOf<'temporal'>) => Promise<T>): Promise<T> {
  const config = loadConfig(['temporal']);
  const client = await connectTemporalClient(config, { connectTimeoutMs: CLI_CONNECT_TIMEOUT_MS });
  try {
    return await work(client, config);
  } finally {
    await client.connection.close();
  }
}
