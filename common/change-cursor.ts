// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// Change feed cursors: opaque strings to consumers, a position in the feed (the seq of the last change read) here.
// The prefix versions the format, so a cursor from elsewhere is refused instead of misread.
const PREFIX = 'fcc1:';

export function encodeChangeCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`).toString('base64url');
}

/** The seq a cursor stands for; null when the string is not a cursor this feed issued. */
export function decodeChangeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX) || !/^\d{1,15}$/.test(text.slice(PREFIX.length))) return null;
  return Number(text.slice(PREFIX.length));
}
