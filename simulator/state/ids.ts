import { createHash, randomBytes } from 'node:crypto';

// Stripe object ids: a type prefix, then an opaque base62 string (e.g. fca_1Pgc76B7WZ01zgkWqlYVCIub).
// Ids come from the OS random source, not the seeded stream: two simulator runs that share one database
// (a developer's Postgres) must never hand out the same account id. An account's transactions are the exception
// (derivedId): they are named by the account and their position, so an account created again under the same id
// (`npm run dev`'s demo accounts after a restart) yields the same transactions rather than look-alikes under new ids.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newId(prefix: string, length = 24): string {
  return encode(prefix, randomBytes(length), length);
}

/** The same id for the same parts, every run; distinct parts give distinct ids (SHA-256). */
export function derivedId(prefix: string, parts: readonly (string | number)[], length = 24): string {
  return encode(prefix, createHash('sha256').update(parts.join('\u0000')).digest(), length);
}

function encode(prefix: string, bytes: Uint8Array, length: number): string {
  let out = '1';
  for (let i = 1; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return `${prefix}_${out}`;
}

export function requestId(): string {
  return newId('req', 14);
}
