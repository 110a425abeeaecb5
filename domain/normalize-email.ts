/**
 * Email normalisation for ownership checks.
 *
 * Decisions (why):
 * - Case: the whole address is lowercased. RFC 5321 allows case-sensitive
 *   local parts, but no mainstream provider uses that, and banks often upper-case.
 * - Plus-addressing: "jane+shop@x.com" is delivered to "jane@x.com" by Gmail,
 *   Outlook, iCloud, Fastmail, Proton and most self-hosted setups, and users
 *   commonly give a tagged address to merchants. We strip "+tag" for every
 *   domain; the rare provider that doesn't honour it only costs a 'match' that
 *   should have been 'partial'.
 * - Gmail dots: Google documents that dots in gmail.com local parts are
 *   ignored, so "jane.doe@gmail.com" == "janedoe@gmail.com"; googlemail.com is
 *   the same service. Dots are NOT removed for other domains, where they matter.
 * An address equal only after these canonicalisations scores slightly below an
 * exact match, still a 'match'.
 */
import { comparisonFromScore, type Comparison } from './match-types';

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export type NormalizedEmail = {
  /** Lowercased, trimmed address as given. */
  exact: string;
  /** Mailbox identity after plus-tag and Gmail-dot canonicalisation. */
  canonical: string;
  local: string;
  domain: string;
};

/** Returns null when the value is blank or not shaped like local@domain.tld. */
export function normalizeEmail(raw: string | null | undefined): NormalizedEmail | null {
  if (raw == null) return null;
  const exact = raw.trim().replace(/^mailto:/i, '').toLowerCase();
  const at = exact.lastIndexOf('@');
  if (at <= 0 || at === exact.length - 1 || /\s/.test(exact)) return null;
  let local = exact.slice(0, at);
  let domain = exact.slice(at + 1).replace(/\.$/, '');
  if (!/^[^@]+\.[a-z0-9-]{2,}$/.test(domain)) return null;
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.replace(/\./g, '');
  }
  if (local.length === 0) return null;
  return { exact, canonical: `${local}@${domain}`, local, domain };
}

/**
 * Same mailbox → match. Same distinctive local part ignoring dots — at another
 * provider, or "jane.doe" vs "janedoe" outside Gmail — → partial: probably the
 * same person, but not provably the same mailbox. Anything else → mismatch.
 */
export function compareEmails(expected: NormalizedEmail, actual: NormalizedEmail): Comparison {
  if (expected.exact === actual.exact) return comparisonFromScore(1);
  if (expected.canonical === actual.canonical) return comparisonFromScore(0.95);
  // Short locals ("info", "john") are too common to count as evidence.
  const eLocal = expected.local.replace(/\./g, '');
  if (eLocal === actual.local.replace(/\./g, '') && eLocal.length >= 6) return comparisonFromScore(0.5);
  return comparisonFromScore(0);
}
