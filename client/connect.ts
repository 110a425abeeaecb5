import { Client, Connection } from '@temporalio/client';
import type { TemporalConnectionSettings } from '../common/node/temporal-connection';
import { TemporalUnavailableError } from './errors';

/**
 * A Client for the configured server: local dev server, self-hosted with mTLS, or Temporal Cloud with an API key
 * or mTLS (the standard TEMPORAL_* settings; see common/node/temporal-connection.ts). Fails with
 * TemporalUnavailableError when the server does not answer within `connectTimeoutMs`. Close it with
 * `client.connection.close()`.
 */
export async function connectTemporalClient(
  config: { temporal: TemporalConnectionSettings },
  options: { connectTimeoutMs?: number } = {},
): Promise<Client> {
  const { connectionOptions, namespace } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: options.connectTimeoutMs ?? 10_000 });
  } catch (err) {
    throw new TemporalUnavailableError(connectionOptions.address, err);
  }
  return new Client({ connection, namespace });
}
