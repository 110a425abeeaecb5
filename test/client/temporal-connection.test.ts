import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../common/node/config';
import { resolveTemporalConnection } from '../../common/node/temporal-connection';

// The standard TEMPORAL_* settings (and temporal.toml profiles) as @temporalio/envconfig reads them, mapped to
// the options both the client and the worker connect with; fc-refresh's former names still work.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fc-refresh-temporal-env-'));
  await writeFile(join(dir, 'client.pem'), 'CERT');
  await writeFile(join(dir, 'client.key'), 'KEY');
  await writeFile(
    join(dir, 'temporal.toml'),
    ['[profile.default]', 'address = "127.0.0.1:7233"', '', '[profile.cloud]', 'address = "fc.abc12.tmprl.cloud:7233"', 'namespace = "fc.abc12"', 'api_key = "from-file"', ''].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString());

describe('resolveTemporalConnection', () => {
  test('with nothing set: the local dev server, namespace default, no TLS', () => {
    const { settings, deprecated } = resolveTemporalConnection({});

    expect(settings.namespace).toBe('default');
    expect(settings.connectionOptions).toMatchObject({ address: '127.0.0.1:7233', tls: undefined, apiKey: undefined });
    expect(deprecated).toEqual([]);
  });

  test('an API key turns TLS on (Temporal Cloud)', () => {
    const { settings } = resolveTemporalConnection({ TEMPORAL_ADDRESS: 'fc.abc12.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'fc.abc12', TEMPORAL_API_KEY: 'key' });

    expect(settings).toEqual({
      namespace: 'fc.abc12',
      connectionOptions: expect.objectContaining({ address: 'fc.abc12.tmprl.cloud:7233', apiKey: 'key', tls: true }),
    });
  });

  test('mTLS from the standard variables: client certificate pair, server CA and server name', () => {
    const { settings, deprecated } = resolveTemporalConnection({
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
      TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'CA',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });

    const tls = settings.connectionOptions.tls;
    if (typeof tls !== 'object' || tls === null) throw new Error(`expected a TLS config, got ${String(tls)}`);
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(text(tls.serverRootCACertificate)).toBe('CA');
    expect(text(tls.clientCertPair?.crt)).toBe('CERT');
    expect(text(tls.clientCertPair?.key)).toBe('KEY');
    expect(deprecated).toEqual([]);
  });

  test("fc-refresh's former certificate variables still work, each reported with its replacement", () => {
    const { settings, deprecated } = resolveTemporalConnection({ TEMPORAL_TLS_CERT_PATH: join(dir, 'client.pem'), TEMPORAL_TLS_KEY_PATH: join(dir, 'client.key') });

    const tls = settings.connectionOptions.tls;
    expect(typeof tls === 'object' && tls !== null ? text(tls.clientCertPair?.crt) : tls).toBe('CERT');
    expect(deprecated).toEqual([
      { variable: 'TEMPORAL_TLS_CERT_PATH', replacement: 'TEMPORAL_TLS_CLIENT_CERT_PATH' },
      { variable: 'TEMPORAL_TLS_KEY_PATH', replacement: 'TEMPORAL_TLS_CLIENT_KEY_PATH' },
    ]);
  });

  test('the standard name wins when a former name is set too', () => {
    const { settings } = resolveTemporalConnection({
      TEMPORAL_TLS_CERT_PATH: join(dir, 'missing.pem'),
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
    });

    const tls = settings.connectionOptions.tls;
    expect(typeof tls === 'object' && tls !== null ? text(tls.clientCertPair?.crt) : tls).toBe('CERT');
  });

  test('a temporal.toml profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), with variables overriding it', () => {
    const { settings } = resolveTemporalConnection({ TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'), TEMPORAL_PROFILE: 'cloud', TEMPORAL_NAMESPACE: 'fc.override' });

    expect(settings).toEqual({
      namespace: 'fc.override',
      connectionOptions: expect.objectContaining({ address: 'fc.abc12.tmprl.cloud:7233', apiKey: 'from-file', tls: true }),
    });
  });

  test('a profile the file does not have is an error', () => {
    expect(() => resolveTemporalConnection({ TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'), TEMPORAL_PROFILE: 'staging' })).toThrow("Profile 'staging' not found");
  });
});

describe("loadConfig(['temporal'])", () => {
  test('holds the task queue and the resolved connection settings', () => {
    const config = loadConfig(['temporal'], { TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TASK_QUEUE: 'fc-test' });

    expect(config.TEMPORAL_TASK_QUEUE).toBe('fc-test');
    expect(config.temporal.connectionOptions.address).toBe('temporal:7233');
  });

  test('an address without a port, or a missing profile, is a configuration error', () => {
    expect(() => loadConfig(['temporal'], { TEMPORAL_ADDRESS: 'no-port' })).toThrow(ConfigError);
    expect(() => loadConfig(['temporal'], { TEMPORAL_ADDRESS: 'no-port' })).toThrow('must be host:port');
    expect(() => loadConfig(['temporal'], { TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'), TEMPORAL_PROFILE: 'staging' })).toThrow(ConfigError);
  });

  test('a former variable name prints one deprecation line naming the new one, once per process', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const env = { TEMPORAL_TLS_CERT_PATH: join(dir, 'client.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key') };
      loadConfig(['temporal'], env);
      loadConfig(['temporal'], env);

      expect(stderr.mock.calls.map(([line]) => String(line))).toEqual(['fc-refresh: TEMPORAL_TLS_CERT_PATH is deprecated; set TEMPORAL_TLS_CLIENT_CERT_PATH instead\n']);
    } finally {
      stderr.mockRestore();
    }
  });
});
