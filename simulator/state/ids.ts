import { randomBytes } from 'node:crypto';

// Stripe object ids: a type prefix, then an opaque base62 string (e.g. fca_1Pgc76B7WZ01zgkWqlYVCIub).
// Ids come from the OS random source, not the seeded stream: two simulator runs that share one database
// (a developer's Postgres) must never hand out the same account or transaction id.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '1';
  for (let i = 1; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return `${prefix}_${out}`;
}

export function requestId(): string {
  return newId('req', 14);
}
