import { createServer } from 'node:net';

/**
 * A free loopback port below 32768. Temporal records each process' gRPC and membership ports in the
 * cluster_membership table as smallint, and the OS hands out ephemeral ports from 32768 up, so the usual
 * "listen on port 0" cannot be used here; random candidates in 20000–32767 are tried until one binds.
 */
export async function freeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_768);
    if (await bindable(candidate)) return candidate;
  }
  throw new Error('no free port between 20000 and 32767');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
