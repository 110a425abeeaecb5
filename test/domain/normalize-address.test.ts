import { describe, expect, it } from 'vitest';
import { compareAddresses, normalizeAddress, type AddressInput } from '../../domain/normalize-address';

describe('normalizeAddress', () => {
  it('parses the Stripe docs raw_address', () => {
    expect(normalizeAddress('510 Townsend San Francisco, CA 94103')).toEqual({
      tokens: ['510', 'townsend', 'san', 'francisco', 'ca', '94103'],
      houseNumber: '510',
      streetKey: 'townsend',
      zip: '94103',
      unit: null,
    });
  });

  it('canonicalises suffixes, directionals, states, units, ZIP+4 and country', () => {
    expect(normalizeAddress('123 North Main Street, Apartment #4B, Raleigh, North Carolina 27601-1234, United States of America')).toEqual({
      tokens: ['123', 'n', 'main', 'st', 'raleigh', 'nc', '27601'],
      houseNumber: '123',
      streetKey: 'main',
      zip: '27601',
      unit: '4b',
    });
  });

  it.each([
    ['Apt 4', '4'],
    ['Apartment 4', '4'],
    ['Suite 4', '4'],
    ['Ste. 4', '4'],
    ['#4', '4'],
    ['Unit 4', '4'],
    ['Apt. #4', '4'],
  ])('unit designator %j', (designator, unit) => {
    expect(normalizeAddress(`1 Main St ${designator}, Austin, TX 78701`)?.unit).toBe(unit);
  });

  it('treats West Virginia and Virginia distinctly', () => {
    expect(normalizeAddress('1 Main St, Charleston, West Virginia 25301')?.tokens).toContain('wv');
    expect(normalizeAddress('1 Main St, Richmond, Virginia 23219')?.tokens).toContain('va');
  });

  it('handles PO boxes', () => {
    expect(normalizeAddress('P.O. Box 123, Austin, TX 78701')).toMatchObject({ houseNumber: 'box:123', tokens: ['pobox', '123', 'austin', 'tx', '78701'] });
    expect(normalizeAddress('Post Office Box 123 Austin TX')?.houseNumber).toBe('box:123');
  });

  it('skips leading directionals for the street key', () => {
    expect(normalizeAddress('200 W 42nd Street, New York, NY 10036')?.streetKey).toBe('42nd');
  });

  it('accepts a structured address', () => {
    expect(normalizeAddress({ line1: '510 Townsend St', line2: null, city: 'San Francisco', state: 'California', postalCode: '94103-2211', country: 'US' })?.tokens).toEqual([
      '510', 'townsend', 'st', 'san', 'francisco', 'ca', '94103',
    ]);
  });

  it('truncates a 9-digit ZIP without a dash', () => {
    expect(normalizeAddress('1 Main St Austin TX 787011234')?.zip).toBe('78701');
  });

  it.each([null, undefined, '', '  ,  ', {}])('%j → null', (raw) => {
    expect(normalizeAddress(raw as AddressInput | null | undefined)).toBeNull();
  });
});

describe('compareAddresses', () => {
  const cmp = (a: AddressInput, b: AddressInput) => {
    const x = normalizeAddress(a);
    const y = normalizeAddress(b);
    if (!x || !y) throw new Error('test input must parse');
    return compareAddresses(x, y);
  };

  it.each([
    ['510 Townsend St, San Francisco, CA 94103', '510 TOWNSEND ST SAN FRANCISCO CA 94103-1234', 'match'],
    ['510 Townsend Street, San Francisco, California 94103', '510 Townsend San Francisco, CA 94103', 'match'],
    ['200 West 42nd Street, New York, New York 10036', '200 W 42ND ST NEW YORK NY 10036', 'match'],
    ['9 Fifth Avenue, New York, NY 10011', '9 5th Ave New York NY 10011', 'match'],
    ['1 Saint James Place, Austin, TX 78701', '1 St. James Pl, Austin TX 78701', 'match'],
    ['42 Elm St Apt 3, Springfield, IL 62704', '42 Elm Street #3 Springfield IL 62704', 'match'],
    ['510 Townsend St, San Francisco, CA 94103', '510 Townsand St, San Francisco, CA 94103', 'match'],
    ['42 Elm St Apt 3, Springfield, IL 62704', '42 Elm St, Springfield, IL 62704', 'partial'],
    ['42 Elm St Apt 3, Springfield, IL 62704', '42 Elm St Apt 5, Springfield, IL 62704', 'partial'],
    ['42 Elm St, Springfield, IL', '42 Elm St, Peoria, IL', 'partial'],
    ['42 Elm St, Springfield, IL 62704', '44 Elm St, Springfield, IL 62704', 'mismatch'],
    ['42 Elm St, Springfield, IL 62704', '42 Elm St, Peoria, IL 61602', 'mismatch'],
    ['510 Townsend St, San Francisco, CA 94103', '510 Brannan St, San Francisco, CA 94103', 'mismatch'],
    ['PO Box 123, Austin, TX 78701', 'P.O. Box 124, Austin, Texas 78701', 'mismatch'],
    ['42 Elm St, Springfield, IL 62704', '1 Market St, San Francisco, CA 94105', 'mismatch'],
  ] as const)('%j vs %j → %s', (a, b, status) => {
    expect(cmp(a, b).status).toBe(status);
  });

  it('exact canonical equality scores 1', () => {
    expect(cmp('42 Elm Street, Springfield, Illinois 62704', '42 ELM ST SPRINGFIELD IL 62704')).toEqual({ status: 'match', score: 1 });
  });

  it('caps explain the scores', () => {
    expect(cmp('42 Elm St, Springfield, IL 62704', '44 Elm St, Springfield, IL 62704').score).toBe(0.2);
    expect(cmp('42 Elm St, Springfield, IL 62704', '42 Elm St, Peoria, IL 61602').score).toBe(0.3);
    expect(cmp('510 Townsend St, San Francisco, CA 94103', '510 Brannan St, San Francisco, CA 94103').score).toBe(0.4);
    expect(cmp('42 Elm St Apt 3, Springfield, IL 62704', '42 Elm St Apt 5, Springfield, IL 62704').score).toBe(0.7);
    expect(cmp('42 Elm St Apt 3, Springfield, IL 62704', '42 Elm St, Springfield, IL 62704').score).toBe(0.85);
  });
});
