import { describe, expect, it } from 'vitest';
import {
  OWNERSHIP_FIELD_WEIGHTS,
  OWNERSHIP_MATCH_THRESHOLD,
  OWNERSHIP_REVIEW_THRESHOLD,
  matchOwnership,
  type AccountOwner,
  type ExpectedOwner,
  type FieldStatus,
  type OwnershipOutcome,
} from '../../domain/ownership-match';

/** The owner from Stripe's ownership docs example. */
const JENNY: AccountOwner = {
  name: 'Jenny Rosen',
  email: 'jenny.rosen@example.com',
  phone: '+1 555-555-5555',
  rawAddress: '510 Townsend San Francisco, CA 94103',
};
const owner = (o: Partial<AccountOwner>): AccountOwner => ({ name: null, email: null, phone: null, rawAddress: null, ...o });

type Row = {
  label: string;
  expected: ExpectedOwner;
  owners: AccountOwner[];
  overall: OwnershipOutcome;
  fields?: Partial<Record<'name' | 'email' | 'phone' | 'address', FieldStatus>>;
  best?: number | null;
};

const ROWS: Row[] = [
  // --- exact matches -------------------------------------------------------
  {
    label: 'docs example, every field given by the business',
    expected: { name: 'Jenny Rosen', email: 'jenny.rosen@example.com', phone: '(555) 555-5555', address: '510 Townsend Street, San Francisco, CA 94103' },
    owners: [JENNY],
    overall: 'match',
    fields: { name: 'match', email: 'match', phone: 'match', address: 'match' },
    best: 0,
  },
  { label: 'name only, case differs', expected: { name: 'jenny rosen' }, owners: [owner({ name: 'JENNY ROSEN' })], overall: 'match', fields: { name: 'match', email: 'not_provided' } },
  { label: 'name + email exact', expected: { name: 'Jenny Rosen', email: 'JENNY.ROSEN@EXAMPLE.COM' }, owners: [JENNY], overall: 'match', fields: { email: 'match' } },
  // --- name shapes ---------------------------------------------------------
  { label: '"Smith, Jane" vs "Jane Smith"', expected: { name: 'Jane Smith' }, owners: [owner({ name: 'Smith, Jane' })], overall: 'match', fields: { name: 'match' } },
  { label: 'bank order without comma "SMITH JANE A"', expected: { name: 'Jane A. Smith' }, owners: [owner({ name: 'SMITH JANE A' })], overall: 'match' },
  { label: 'missing middle name', expected: { name: 'Jane Smith' }, owners: [owner({ name: 'JANE ANNE SMITH' })], overall: 'match', fields: { name: 'match' } },
  { label: 'middle initial vs full middle', expected: { name: 'Jane A Smith' }, owners: [owner({ name: 'Jane Anne Smith' })], overall: 'match' },
  { label: 'accents folded', expected: { name: 'José Núñez' }, owners: [owner({ name: 'JOSE NUNEZ' })], overall: 'match' },
  { label: 'honorific and suffix dropped', expected: { name: 'Dr. Robert King Jr.' }, owners: [owner({ name: 'ROBERT KING' })], overall: 'match' },
  { label: 'generational suffix + comma order', expected: { name: 'Robert King III' }, owners: [owner({ name: 'King, Robert' })], overall: 'match' },
  { label: '"SMITH, JANE A., JR."', expected: { name: 'Jane Smith' }, owners: [owner({ name: 'SMITH, JANE A., JR.' })], overall: 'match' },
  { label: 'hyphen and apostrophe', expected: { name: "Mary-Jane O'Brien" }, owners: [owner({ name: 'MARYJANE OBRIEN' })], overall: 'match' },
  { label: 'first initial only → partial name, review', expected: { name: 'J. Smith' }, owners: [owner({ name: 'Jane Smith' })], overall: 'review', fields: { name: 'partial' } },
  { label: 'first initial + matching email → match', expected: { name: 'J. Smith', email: 'jane@example.com' }, owners: [owner({ name: 'Jane Smith', email: 'jane@example.com' })], overall: 'match' },
  { label: 'one-letter typo in a long first name', expected: { name: 'Jonathan Smith' }, owners: [owner({ name: 'JONATHON SMITH' })], overall: 'match', fields: { name: 'partial' } },
  { label: 'conflicting middle initials (father/son?)', expected: { name: 'John A Smith' }, owners: [owner({ name: 'John B Smith' })], overall: 'review', fields: { name: 'partial' } },
  { label: 'second family name dropped by the bank', expected: { name: 'Maria Garcia Lopez' }, owners: [owner({ name: 'MARIA GARCIA' })], overall: 'review', fields: { name: 'partial' } },
  { label: 'nickname is not a match', expected: { name: 'Bob Smith' }, owners: [owner({ name: 'Robert Smith' })], overall: 'no_match', fields: { name: 'mismatch' } },
  {
    label: 'nickname, but email and phone agree → review',
    expected: { name: 'Bob Smith', email: 'bob@example.com', phone: '555-555-5555' },
    owners: [owner({ name: 'Robert Smith', email: 'bob@example.com', phone: '+1 555 555 5555' })],
    overall: 'review',
  },
  {
    label: 'maiden name, all contact details agree → review',
    expected: { name: 'Jane Doe', email: 'jane@example.com', phone: '5555555555', address: '42 Elm St, Springfield, IL 62704' },
    owners: [owner({ name: 'Jane Smith', email: 'jane@example.com', phone: '+15555555555', rawAddress: '42 ELM ST SPRINGFIELD IL 62704' })],
    overall: 'review',
    fields: { name: 'mismatch' },
  },
  {
    label: 'family member at the same address and phone → review',
    expected: { name: 'Jane Smith', phone: '555-555-5555', address: '42 Elm St, Springfield, IL 62704' },
    owners: [owner({ name: 'John Smith', phone: '+1 555-555-5555', rawAddress: '42 Elm Street Springfield Illinois 62704' })],
    overall: 'review',
  },
  // --- email ---------------------------------------------------------------
  { label: 'plus-addressed email', expected: { name: 'Jane Smith', email: 'jane+shop@example.com' }, owners: [owner({ name: 'Jane Smith', email: 'jane@example.com' })], overall: 'match', fields: { email: 'match' } },
  { label: 'gmail dots and googlemail', expected: { name: 'Jane Doe', email: 'Jane.Doe@GMAIL.com' }, owners: [owner({ name: 'Jane Doe', email: 'janedoe@googlemail.com' })], overall: 'match', fields: { email: 'match' } },
  { label: 'dots matter outside gmail (partial, not match)', expected: { name: 'Jane Doe', email: 'jane.doe@example.com' }, owners: [owner({ name: 'Jane Doe', email: 'janedoe@example.com' })], overall: 'review', fields: { email: 'partial' } },
  { label: 'unrelated email at the same domain', expected: { name: 'Jane Doe', email: 'jdoe@example.com' }, owners: [owner({ name: 'Jane Doe', email: 'mark@example.com' })], overall: 'review', fields: { email: 'mismatch' } },
  { label: 'same local part, other provider → partial', expected: { email: 'jane.doe1984@gmail.com' }, owners: [owner({ email: 'jane.doe1984@yahoo.com' })], overall: 'no_match', fields: { email: 'partial', name: 'not_provided' } },
  // --- phone ---------------------------------------------------------------
  { label: 'phone "(555) 555-5555" vs "+1 555-555-5555"', expected: { name: 'Jenny Rosen', phone: '(555) 555-5555' }, owners: [JENNY], overall: 'match', fields: { phone: 'match' } },
  { label: 'phone with dots and extension', expected: { name: 'Jenny Rosen', phone: '555.555.5555 ext. 12' }, owners: [JENNY], overall: 'match', fields: { phone: 'match' } },
  { label: 'phone with 1- trunk prefix', expected: { name: 'Jenny Rosen', phone: '1-555-555-5555' }, owners: [JENNY], overall: 'match', fields: { phone: 'match' } },
  { label: 'different phone → review', expected: { name: 'Jenny Rosen', phone: '(415) 555-0100' }, owners: [JENNY], overall: 'review', fields: { phone: 'mismatch' } },
  { label: 'unparseable expected phone is not_provided', expected: { name: 'Jenny Rosen', phone: 'n/a' }, owners: [JENNY], overall: 'match', fields: { phone: 'not_provided' } },
  { label: 'unparseable bank phone is unavailable', expected: { name: 'Jenny Rosen', phone: '5555555555' }, owners: [{ ...JENNY, phone: '555' }], overall: 'match', fields: { phone: 'unavailable' } },
  // --- address -------------------------------------------------------------
  { label: 'docs raw_address vs full state name and "Street"', expected: { name: 'Jenny Rosen', address: '510 Townsend Street, San Francisco, California 94103' }, owners: [JENNY], overall: 'match', fields: { address: 'match' } },
  {
    label: 'address abbreviations, unit designators, ZIP+4, country',
    expected: { name: 'Ann Lee', address: '123 North Main Street, Apartment 4B, Raleigh, North Carolina 27601, United States' },
    owners: [owner({ name: 'ANN LEE', rawAddress: '123 N MAIN ST #4B RALEIGH NC 27601-1234' })],
    overall: 'match',
    fields: { address: 'match' },
  },
  {
    label: 'structured expected address',
    expected: { name: 'Jenny Rosen', address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
    owners: [JENNY],
    overall: 'match',
    fields: { address: 'match' },
  },
  { label: 'bank dropped the apartment number', expected: { name: 'Ann Lee', address: '42 Elm Street Apt 3, Springfield, IL 62704' }, owners: [owner({ name: 'Ann Lee', rawAddress: '42 ELM ST SPRINGFIELD IL 62704' })], overall: 'match', fields: { address: 'partial' } },
  { label: 'different apartment in the same building', expected: { address: '42 Elm St Apt 3, Springfield, IL 62704' }, owners: [owner({ rawAddress: '42 Elm St Apt 5, Springfield, IL 62704' })], overall: 'review', fields: { address: 'partial' } },
  { label: 'different house number', expected: { name: 'Ann Lee', address: '42 Elm St, Springfield, IL 62704' }, owners: [owner({ name: 'Ann Lee', rawAddress: '44 Elm St, Springfield, IL 62704' })], overall: 'review', fields: { address: 'mismatch' } },
  { label: 'different street, same number and ZIP', expected: { address: '510 Townsend St, San Francisco, CA 94103' }, owners: [owner({ rawAddress: '510 Brannan St, San Francisco, CA 94103' })], overall: 'no_match', fields: { address: 'mismatch' } },
  { label: 'moved to another city', expected: { address: '42 Elm St, Springfield, IL 62704' }, owners: [owner({ rawAddress: '42 Elm St, Peoria, IL 61602' })], overall: 'no_match', fields: { address: 'mismatch' } },
  // --- owners list shapes --------------------------------------------------
  {
    label: 'joint account: best owner is the second one',
    expected: { name: 'Jane Smith', email: 'jane@example.com' },
    owners: [owner({ name: 'John Smith', email: 'john@example.com' }), owner({ name: 'Jane Smith', email: 'jane@example.com' })],
    overall: 'match',
    best: 1,
  },
  { label: 'bank returned only an email; name not compared → review', expected: { name: 'Jane Smith', email: 'jane@example.com' }, owners: [owner({ email: 'jane@example.com' })], overall: 'review', fields: { name: 'unavailable', email: 'match' } },
  { label: 'no owners', expected: { name: 'Jane Smith' }, owners: [], overall: 'review', best: null },
  { label: 'owner with no data', expected: { name: 'Jane Smith' }, owners: [owner({})], overall: 'review', best: null },
  { label: 'blank expected name is not provided', expected: { name: '  ', email: 'jane@example.com' }, owners: [owner({ name: 'Jane Smith', email: 'jane@example.com' })], overall: 'review', fields: { name: 'not_provided' } },
  {
    label: 'different person on every field',
    expected: { name: 'Jane Smith', email: 'jane@example.com', phone: '415-555-0100', address: '42 Elm St, Springfield, IL 62704' },
    owners: [JENNY],
    overall: 'no_match',
    fields: { name: 'mismatch', email: 'mismatch', phone: 'mismatch', address: 'mismatch' },
  },
];

describe('matchOwnership: realistic pairs', () => {
  it('has a substantial table', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', (_label, row) => {
    const result = matchOwnership(row.expected, row.owners);
    expect(result.overall).toBe(row.overall);
    if (row.best !== undefined) expect(result.bestOwnerIndex).toBe(row.best);
    for (const [field, status] of Object.entries(row.fields ?? {})) {
      expect({ field, status: result.fields?.[field as keyof typeof result.fields]?.status }).toEqual({ field, status });
    }
  });
});

describe('matchOwnership: scoring contract', () => {
  it('weights sum to 1 and thresholds are ordered', () => {
    const sum = Object.values(OWNERSHIP_FIELD_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
    expect(OWNERSHIP_MATCH_THRESHOLD).toBeGreaterThan(OWNERSHIP_REVIEW_THRESHOLD);
  });

  it('score is the weighted average over compared fields only', () => {
    // name 1.0 (w .4), phone 0 (w .2); email/address not provided → (0.4) / (0.6)
    const r = matchOwnership({ name: 'Jenny Rosen', phone: '415-555-0100' }, [JENNY]);
    expect(r.score).toBeCloseTo(0.4 / 0.6, 4);
    expect(r.fields?.email).toEqual({ status: 'not_provided', score: null });
  });

  it('name mismatch with every other field matching lands exactly on review', () => {
    const r = matchOwnership({ name: 'Jane Smith', email: JENNY.email, phone: JENNY.phone, address: JENNY.rawAddress }, [JENNY]);
    expect(r.score).toBe(0.6);
    expect(r.overall).toBe('review');
  });

  it('reports reasons', () => {
    expect(matchOwnership({ name: 'Jenny Rosen' }, [JENNY]).reason).toBe('scored');
    expect(matchOwnership({ email: JENNY.email }, [JENNY]).reason).toBe('name_not_compared');
    expect(matchOwnership({ name: 'x' }, []).reason).toBe('no_owners');
    expect(matchOwnership({}, [JENNY]).reason).toBe('no_comparable_fields');
  });

  it('ties keep the earliest owner', () => {
    expect(matchOwnership({ name: 'Jenny Rosen' }, [JENNY, JENNY]).bestOwnerIndex).toBe(0);
  });

  it('returns a breakdown per owner, in order', () => {
    const r = matchOwnership({ name: 'Jenny Rosen' }, [owner({ name: 'Someone Else' }), JENNY, owner({})]);
    expect(r.owners.map((o) => o.ownerIndex)).toEqual([0, 1, 2]);
    expect(r.owners.map((o) => o.score)).toEqual([0, 1, null]);
  });

  it('never echoes PII from either side', () => {
    const expected = { name: 'Jane Q Public', email: 'jane.public@example.com', phone: '(415) 555-0100', address: '1 Secret Ln, Nowhere, KS 66002' };
    const json = JSON.stringify(matchOwnership(expected, [JENNY]));
    for (const needle of ['jane', 'public', 'jenny', 'rosen', '555', 'townsend', 'secret', 'example.com', '94103', '66002']) {
      expect(json.toLowerCase()).not.toContain(needle);
    }
  });

  it('is deterministic and does not mutate inputs', () => {
    const expected = { name: 'Jenny Rosen', email: 'jenny.rosen@example.com' };
    const owners = [{ ...JENNY }];
    const snapshot = structuredClone({ expected, owners });
    expect(matchOwnership(expected, owners)).toEqual(matchOwnership(expected, owners));
    expect({ expected, owners }).toEqual(snapshot);
  });
});
