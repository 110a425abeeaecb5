import { describe, expect, it } from 'vitest';
import { compareEmails, normalizeEmail } from '../../domain/normalize-email';
import { comparePhones, normalizePhone } from '../../domain/normalize-phone';

describe('normalizeEmail', () => {
  it('lowercases and trims', () => {
    expect(normalizeEmail('  Jenny.Rosen@Example.COM ')).toEqual({
      exact: 'jenny.rosen@example.com',
      canonical: 'jenny.rosen@example.com',
      local: 'jenny.rosen',
      domain: 'example.com',
    });
  });
  it('strips plus tags on any domain', () => {
    expect(normalizeEmail('jane+ach-2024@example.com')?.canonical).toBe('jane@example.com');
  });
  it('removes dots only for gmail and unifies googlemail', () => {
    expect(normalizeEmail('J.a.n.e+x@googlemail.com')?.canonical).toBe('jane@gmail.com');
    expect(normalizeEmail('j.ane@example.com')?.canonical).toBe('j.ane@example.com');
  });
  it('accepts mailto: and a trailing dot on the domain', () => {
    expect(normalizeEmail('mailto:jane@example.com.')?.canonical).toBe('jane@example.com');
  });
  it.each([null, undefined, '', 'jane', '@example.com', 'jane@', 'jane@localhost', 'ja ne@example.com'])(
    '%j → null',
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );
});

describe('compareEmails', () => {
  const cmp = (a: string, b: string) => {
    const x = normalizeEmail(a);
    const y = normalizeEmail(b);
    if (!x || !y) throw new Error('test input must parse');
    return compareEmails(x, y);
  };
  it.each([
    ['jane@example.com', 'JANE@EXAMPLE.COM', 'match', 1],
    ['jane+shop@example.com', 'jane@example.com', 'match', 0.95],
    ['jane.doe@gmail.com', 'janedoe@gmail.com', 'match', 0.95],
    ['jane.doe1984@gmail.com', 'jane.doe1984@yahoo.com', 'partial', 0.5],
    ['jane.doe@example.com', 'janedoe@example.com', 'partial', 0.5],
    ['john@gmail.com', 'john@yahoo.com', 'mismatch', 0],
    ['jane@example.com', 'jane@example.org', 'mismatch', 0],
    ['jane@example.com', 'mark@example.com', 'mismatch', 0],
  ] as const)('%s vs %s → %s', (a, b, status, score) => {
    expect(cmp(a, b)).toEqual({ status, score });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+1 555-555-5555', '+15555555555'],
    ['(555) 555-5555', '+15555555555'],
    ['555.555.5555', '+15555555555'],
    ['555 555 5555', '+15555555555'],
    ['1-555-555-5555', '+15555555555'],
    ['1 (555) 555-5555', '+15555555555'],
    ['+15555555555', '+15555555555'],
    ['tel:+1-555-555-5555', '+15555555555'],
    ['011 1 555 555 5555', '+15555555555'],
    ['555-555-5555 x123', '+15555555555'],
    ['555-555-5555 ext. 123', '+15555555555'],
    ['(555) 555-5555 #9', '+15555555555'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
  ])('%j → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toEqual({ kind: 'e164', e164 });
  });

  it('keeps a 7-digit local number as local', () => {
    expect(normalizePhone('555-5555')).toEqual({ kind: 'local', digits: '5555555' });
  });

  it.each([null, undefined, '', '555', '12345', '+1 (055) 555-5555', '555-155-5555', '1-800-FLOWERS', '+1 555 555 55555', '+0 123 456 789', '+1234567890123456'])(
    '%j → null',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );
});

describe('comparePhones', () => {
  const cmp = (a: string, b: string) => {
    const x = normalizePhone(a);
    const y = normalizePhone(b);
    if (!x || !y) throw new Error('test input must parse');
    return comparePhones(x, y);
  };
  it.each([
    ['(555) 555-5555', '+1 555-555-5555', 'match', 1],
    ['555-555-5555', '+1 555-555-5556', 'mismatch', 0],
    ['555-5555', '+1 555-555-5555', 'partial', 0.6],
    ['+1 555-555-5555', '555-5555', 'partial', 0.6],
    ['555-5555', '555-5555', 'partial', 0.6],
    ['555-5555', '555-5556', 'mismatch', 0],
    ['555-5555', '+44 20 7555 5555', 'mismatch', 0],
    ['+44 20 7946 0958', '+1 207 946 0958', 'mismatch', 0],
  ] as const)('%s vs %s → %s', (a, b, status, score) => {
    expect(cmp(a, b)).toEqual({ status, score });
  });
});
