// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { createHmac, timingSafeEqual } from 'node:crypto';

// "Changes available" notifications are signed as Stripe signs webhooks: the header carries a timestamp and an
// HMAC-SHA256 of `${timestamp}.${body}` under the consumer's secret, so a receiver can check who sent the body and
// refuse a replay of an old one.

export const NOTIFICATION_SIGNATURE_HEADER = 'fc-refresh-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The signature header value for `body`: `t=<unix seconds>,v1=<hex HMAC>`. */
export function signNotification(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export type SignatureProblem = 'missing_header' | 'malformed_header' | 'timestamp_outside_tolerance' | 'signature_mismatch';

/** Why a notification's signature was refused; `problem` says which check failed. */
export class NotificationSignatureError extends Error {
  constructor(readonly problem: SignatureProblem) {
    super(`change notification signature refused: ${problem.replaceAll('_', ' ')}`);
    this.name = 'NotificationSignatureError';
  }
}

/**
 * Checks a notification exactly as received (the raw body, before any JSON parsing) against its signature header
 * and returns the parsed body. Throws NotificationSignatureError when the header is missing or malformed, its
 * timestamp is more than `toleranceSeconds` from now, or no v1 signature matches.
 */
export function verifyNotificationSignature<T = unknown>(
  rawBody: string | Buffer,
  header: string | null | undefined,
  secret: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): T {
  if (!header) throw new NotificationSignatureError('missing_header');
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => Number(value));
  const signatures = parts.filter(([key, value]) => key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)).map(([, value]) => value as string);
  const timestamp = timestamps[0];
  if (timestamps.length !== 1 || timestamp === undefined || !Number.isSafeInteger(timestamp) || signatures.length === 0) {
    throw new NotificationSignatureError('malformed_header');
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    throw new NotificationSignatureError('timestamp_outside_tolerance');
  }
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  if (!signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected))) {
    throw new NotificationSignatureError('signature_mismatch');
  }
  return JSON.parse(body) as T;
}
