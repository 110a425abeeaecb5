import { errors } from '../errors';

// Idempotent requests (https://docs.stripe.com/api/idempotent_requests): a POST's result is saved
// under its Idempotency-Key; the same key with the same parameters replays the saved response
// (header Idempotent-Replayed: true), with different parameters it is refused (400 idempotency_error),
// and while the first request is still running a second one gets 409 idempotency_key_in_use.
// As Stripe does, a result is only saved when the endpoint started executing: requests refused by
// validation (400 before execution), auth, or an injected "before" fault are not saved.

export interface StoredResponse {
  status: number;
  body: string;
  originalRequestId: string;
}

interface Entry {
  fingerprint: string;
  response: StoredResponse | null;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Returns a saved response to replay, or null when the caller should execute (and later save or release). */
  begin(scope: string, key: string, fingerprint: string): StoredResponse | null {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint, response: null });
      return null;
    }
    if (entry.fingerprint !== fingerprint) throw errors.idempotencyMismatch(key);
    if (!entry.response) throw errors.idempotencyInUse(key);
    return entry.response;
  }

  save(scope: string, key: string, response: StoredResponse): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.response = response;
  }

  /** The request did not execute: forget the key so a retry runs it. */
  release(scope: string, key: string): void {
    const id = `${scope}\u0000${key}`;
    if (this.entries.get(id)?.response === null) this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
