import { Client, Connection } from '@temporalio/client';
import type { ConfigOf } from '../common/node/config';
import { temporalConnectionOptions } from '../common/node/temporal-connection';
import { TemporalUnavailableError } from './errors';

/**
 * A Client for the configured server: local dev server, self-hosted with mTLS, or Temporal Cloud with an API key
 * or mTLS (see common/node/temporal-connection.ts). Fails with TemporalUnavailableError when the server does not answer
 * within `connectTimeoutMs`. Close it with `client.connection.close()`.
 */
export async function connectTemporalClient(config: ConfigOf<'temporal'>, options: { connectTimeoutMs?: number } = {}): Promise<Client> {
  const connectionOptions = await temporalConnectionOptions(config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: options.connectTimeoutMs ?? 10_000 });
  } catch (err) {
    throw new TemporalUnavailableError(config.TEMPORAL_ADDRESS, err);
  }
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}
