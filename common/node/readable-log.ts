// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
// One pino JSON line as a short coloured line for a person at a terminal (`npm run dev`):
// `12:00:01.234 INFO  worker started taskQueue=fc-refresh namespace=default`.

const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '\u001b[90m' },
  20: { name: 'DEBUG', colour: '\u001b[36m' },
  30: { name: 'INFO ', colour: '\u001b[32m' },
  40: { name: 'WARN ', colour: '\u001b[33m' },
  50: { name: 'ERROR', colour: '\u001b[31m' },
  60: { name: 'FATAL', colour: '\u001b[35m' },
};
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';
/** Every line carries these; the terminal line shows time, level and message in their own places, service never. */
const SHOWN_APART = new Set(['time', 'level', 'msg', 'service', 'pid', 'hostname', 'err']);

export function readableLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), colour: '' };
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, value]) => `${DIM}${key}=${RESET}${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const errorText = err ? `\n  ${(err.stack ?? err.message ?? '').split('\n').join('\n  ')}` : '';
  return `${DIM}${time}${RESET} ${level.colour}${level.name}${RESET} ${String(entry.msg ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}${errorText}\n`;
}
