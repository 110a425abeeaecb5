// Sends hostile deliveries over raw HTTP (any method, header or body, no client-side fixing up) and tallies each
// answer against the ones the delivery expects.
import { Agent, request } from 'node:http';
import type { HostileDelivery, HostileKind } from './hostile-webhooks';

export interface HostileAnswer {
  status: number | null;
  /** A transport failure: the receiver reset or dropped the connection without an HTTP answer. */
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/** The server answers these before reading the request and then closes the connection: no keep-alive for them. */
const CLOSING_ANSWERS: readonly number[] = [413, 431];

export function deliverHostile(baseUrl: string, delivery: HostileDelivery): Promise<HostileAnswer> {
  const url = new URL(baseUrl);
  const closing = delivery.expect.every((status) => CLOSING_ANSWERS.includes(status));
  const headers = { ...delivery.headers, 'content-length': String(delivery.body.length), ...(closing ? { connection: 'close' } : {}) };
  return new Promise((resolve) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method: delivery.method, path: delivery.path, headers, agent: closing ? false : agent },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? null }));
        response.on('error', (err) => resolve({ status: response.statusCode ?? null, error: err.message }));
      },
    );
    outgoing.on('error', (err) => resolve({ status: null, error: err.message }));
    outgoing.end(delivery.body);
  });
}

export interface HostileReport {
  sent: number;
  byKind: Record<string, { sent: number; wrong: number }>;
  /** Answers outside a delivery's expected set (the first 20). */
  wrongAnswers: { kind: HostileKind; expected: readonly number[]; got: number | null; error?: string; sample: string }[];
  wrong: number;
  /** Event ids the receiver answered 2xx for (what stripe_events may hold). */
  acceptedEventIds: Set<string>;
}

/** Sends every delivery, `concurrency` at a time, and compares each answer with what it expects. */
export async function runHostileDeliveries(baseUrl: string, deliveries: HostileDelivery[], concurrency = 16): Promise<HostileReport> {
  const report: HostileReport = { sent: 0, byKind: {}, wrongAnswers: [], wrong: 0, acceptedEventIds: new Set() };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++] as HostileDelivery;
      const answer = await deliverHostile(baseUrl, delivery);
      const tally = (report.byKind[delivery.kind] ??= { sent: 0, wrong: 0 });
      tally.sent += 1;
      report.sent += 1;
      if (answer.status !== null && answer.status < 300 && delivery.recordsEventId) report.acceptedEventIds.add(delivery.recordsEventId);
      if (answer.status === null || !delivery.expect.includes(answer.status)) {
        tally.wrong += 1;
        report.wrong += 1;
        if (report.wrongAnswers.length < 20) {
          report.wrongAnswers.push({
            kind: delivery.kind,
            expected: delivery.expect,
            got: answer.status,
            ...(answer.error ? { error: answer.error } : {}),
            sample: `${delivery.method} ${delivery.path} ${JSON.stringify(delivery.headers).slice(0, 200)} ${delivery.body.toString('utf8').slice(0, 200)}`,
          });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return report;
}
