import { createHmac } from 'node:crypto';

// One webhook POST as Stripe sends it (https://docs.stripe.com/webhooks): the JSON body signed with
// `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the endpoint secret>`, which
// stripe.webhooks.constructEvent verifies. `t` is wall-clock time, not the simulated clock: receivers check it
// against their own clock (tolerance 300 s).

function signPayload(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** One signed POST; the HTTP status, or null for a network error or a timeout (`abort` cancels it early). */
export async function postSignedEvent(
  url: string,
  payload: string,
  options: { secret: string; timeoutMs: number; abort: AbortController },
): Promise<number | null> {
  const timeout = setTimeout(() => options.abort.abort(), options.timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signPayload(payload, options.secret, Math.floor(Date.now() / 1000)),
      },
      body: payload,
      signal: options.abort.signal,
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  } catch {
    return null;
  } finally {
    clearTimeout(timeout);
  }
}
