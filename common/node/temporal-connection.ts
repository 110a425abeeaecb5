// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from '@temporalio/client';
import type { ConfigOf } from './config';

/**
 * Connection options for local, self-hosted (mTLS) or Temporal Cloud (API key or mTLS) servers,
 * shared by the client and the worker so both connect the same way.
 */
export async function temporalConnectionOptions(config: ConfigOf<'temporal'>): Promise<ConnectionOptions> {
  const mtls = config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH;
  const tlsOn = config.TEMPORAL_TLS === 'true' || Boolean(mtls) || Boolean(config.TEMPORAL_API_KEY);
  return {
    address: config.TEMPORAL_ADDRESS,
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
    ...(tlsOn
      ? {
          tls: {
            ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
            ...(mtls
              ? {
                  clientCertPair: {
                    crt: await readFile(config.TEMPORAL_TLS_CERT_PATH as string),
                    key: await readFile(config.TEMPORAL_TLS_KEY_PATH as string),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}
