// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';

// Where the Temporal server is and how to authenticate, read the way the Temporal CLI and every SDK read it
// (@temporalio/envconfig): a profile of a temporal.toml file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), overridden
// by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_GRPC_META_*. The client and
// the worker connect with the same settings.

/** The names fc-refresh read before it followed the standard; they keep working (the standard name wins when both are set). */
export const DEPRECATED_TEMPORAL_VARIABLES = {
  TEMPORAL_TLS_CERT_PATH: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY_PATH: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
} as const;

/** What the local dev server listens on, the SDKs' own default too. */
const DEFAULT_ADDRESS = '127.0.0.1:7233';
const DEFAULT_NAMESPACE = 'default';

export type TemporalConnectionOptions = ClientConnectConfig['connectionOptions'] & { address: string };

export interface TemporalConnectionSettings {
  namespace: string;
  /** For `Connection.connect` (client) and `NativeConnection.connect` (worker) alike. */
  connectionOptions: TemporalConnectionOptions;
}

export interface TemporalSettingsResolution {
  settings: TemporalConnectionSettings;
  /** Deprecated variables that were set: each as `{ variable, replacement }`. */
  deprecated: Array<{ variable: string; replacement: string }>;
}

type Env = Record<string, string | undefined>;

/**
 * Resolves the connection settings from `env` (and the temporal.toml it names, or the default one under the
 * user's config directory). Throws when a named profile, certificate or key cannot be read.
 */
export function resolveTemporalConnection(env: Env): TemporalSettingsResolution {
  const standard: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) standard[name] = value;
  const deprecated: TemporalSettingsResolution['deprecated'] = [];
  for (const [variable, replacement] of Object.entries(DEPRECATED_TEMPORAL_VARIABLES)) {
    const value = standard[variable];
    if (value === undefined) continue;
    deprecated.push({ variable, replacement });
    standard[replacement] ??= value;
    delete standard[variable];
  }
  const loaded = loadClientConnectConfig({ overrideEnvVars: standard });
  return {
    settings: {
      namespace: loaded.namespace ?? DEFAULT_NAMESPACE,
      connectionOptions: { ...loaded.connectionOptions, address: loaded.connectionOptions.address ?? DEFAULT_ADDRESS },
    },
    deprecated,
  };
}
