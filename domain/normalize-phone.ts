/**
 * Phone normalisation to E.164 for ownership checks.
 *
 * Stripe returns owner phones like "+1 555-555-5555"; businesses store
 * "(555) 555-5555", "555.555.5555", "1-555-555-5555", "+15555555555 x12".
 * Numbers without a country code are assumed to be in the default country
 * (US/NANP, +1): Financial Connections is a US product (ACH), so that is the
 * overwhelmingly likely reading. Extensions are dropped: they identify a desk,
 * not a line. Non-NANP numbers are only understood when written with "+" or an
 * international prefix ("00", "011").
 */
import { comparisonFromScore, type Comparison } from './match-types';

export const DEFAULT_COUNTRY_CALLING_CODE = '1';

export type NormalizedPhone =
  | { kind: 'e164'; e164: string }
  /** A 7-digit NANP local number (no area code): comparable only by suffix. */
  | { kind: 'local'; digits: string };

/** Returns null for blank/unparseable input. */
export function normalizePhone(raw: string | null | undefined): NormalizedPhone | null {
  if (raw == null) return null;
  // Drop extensions: "x123", "ext. 123", "extension 123", ";ext=123".
  const main = raw.trim().toLowerCase().replace(/(?:;?\s*ext(?:ension)?\.?\s*=?|\s*x|\s*#)\s*\d+\s*$/, '');
  if (/[a-z]/.test(main.replace(/^tel:/, ''))) return null; // vanity numbers / junk: don't guess
  const digits = main.replace(/\D/g, '');
  const hasPlus = /^\s*(?:tel:)?\s*\+/.test(main);
  if (!hasPlus) {
    if (digits.startsWith('011')) return international(digits.slice(3));
    if (digits.startsWith('00')) return international(digits.slice(2));
    if (digits.length === 10) return nanp(digits);
    if (digits.length === 11 && digits.startsWith('1')) return nanp(digits.slice(1));
    if (digits.length === 7) return { kind: 'local', digits };
    return null;
  }
  return international(digits);

  function nanp(ten: string): NormalizedPhone | null {
    // NANP area codes and exchanges never start with 0 or 1.
    if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(ten)) return null;
    return { kind: 'e164', e164: `+${DEFAULT_COUNTRY_CALLING_CODE}${ten}` };
  }
  function international(d: string): NormalizedPhone | null {
    if (d.startsWith('1')) return d.length === 11 ? nanp(d.slice(1)) : null;
    // E.164: at most 15 digits; anything under 8 cannot carry a country code plus a subscriber number.
    if (d.length < 8 || d.length > 15 || d.startsWith('0')) return null;
    return { kind: 'e164', e164: `+${d}` };
  }
}

/** Same E.164 → match; a bare 7-digit number that equals the other's last 7 (NANP) → partial. */
export function comparePhones(expected: NormalizedPhone, actual: NormalizedPhone): Comparison {
  if (expected.kind === 'e164' && actual.kind === 'e164') {
    return comparisonFromScore(expected.e164 === actual.e164 ? 1 : 0);
  }
  if (expected.kind === 'local' && actual.kind === 'local') {
    // Same 7 digits but unknown area codes: could be any of ~300 numbers.
    return comparisonFromScore(expected.digits === actual.digits ? 0.6 : 0);
  }
  const local = expected.kind === 'local' ? expected.digits : actual.kind === 'local' ? actual.digits : '';
  const full = expected.kind === 'e164' ? expected.e164 : actual.kind === 'e164' ? actual.e164 : '';
  const isNanp = full.startsWith(`+${DEFAULT_COUNTRY_CALLING_CODE}`) && full.length === 12;
  return comparisonFromScore(isNanp && full.endsWith(local) ? 0.6 : 0);
}
