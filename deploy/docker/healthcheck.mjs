// The image's HEALTHCHECK. One image runs every process (worker, webhook receiver, CLI, simulator), but only the
// webhook receiver serves HTTP: for it, GET /healthz on WEBHOOK_PORT must answer 2xx within the timeout. Any other
// command passes, since it has nothing to probe and Docker's restart policy already handles a process that exits.
// Plain JavaScript run by node itself: a check that started tsx would cost a second of CPU every interval.
import { readFileSync } from 'node:fs';

const WEBHOOK_ENTRY_POINT = 'webhooks/main.ts';
const PROBE_TIMEOUT_MS = 3_000;

/** PID 1 is the container's command, or docker-init followed by it under `init: true`. */
function runsWebhookReceiver() {
  const argv = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  return argv.some((arg) => arg.endsWith(WEBHOOK_ENTRY_POINT));
}

if (!runsWebhookReceiver()) process.exit(0);

// The receiver listens on WEBHOOK_HOST (0.0.0.0 by default), which includes the loopback address.
const url = `http://127.0.0.1:${process.env.WEBHOOK_PORT || '4242'}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (!response.ok) {
    process.stderr.write(`healthcheck: ${url} answered ${response.status}\n`);
    process.exit(1);
  }
} catch (err) {
  process.stderr.write(`healthcheck: ${url} unreachable: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
