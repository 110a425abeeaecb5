import { describe, expect, it } from 'vitest';
import { compareNames, normalizeName } from '../../domain/normalize-name';
import { foldText, levenshtein, tokenize } from '../../domain/text-normalize';

describe('text-normalize', () => {
  it('folds case and accents, including letters NFKD keeps', () => {
    expect(foldText('ÉLODIE Müller-Straße Øster Łukasz')).toBe('elodie muller-strasse oster lukasz');
  });
  it('tokenize deletes apostrophes but splits on other punctuation', () => {
    expect(tokenize("O'Brien-Smith, Jr.")).toEqual(['obrien', 'smith', 'jr']);
    expect(tokenize('D’Angelo')).toEqual(['dangelo']);
  });
  it('levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('normalizeName', () => {
  it.each([
    ['Jane Smith', ['jane', 'smith']],
    ['  JANE   SMITH ', ['jane', 'smith']],
    ['Smith, Jane A.', ['jane', 'a', 'smith']],
    ['Smith, Jane, Jr.', ['jane', 'smith']],
    ['John Smith, Jr.', ['john', 'smith']],
    ['Jane Doe, MD', ['jane', 'doe']],
    ['Mrs. Jane Smith', ['jane', 'smith']],
    ['Dr Prof Jane Smith PhD', ['jane', 'smith']],
    ['Robert King III', ['robert', 'king']],
    ['José Núñez', ['jose', 'nunez']],
    ["Mary-Jane O'Brien", ['mary', 'jane', 'obrien']],
  ])('%j → %j', (raw, tokens) => {
    expect(normalizeName(raw)).toEqual(tokens);
  });

  it('keeps a lone title-like token rather than returning nothing', () => {
    expect(normalizeName('Dr')).toEqual(['dr']);
  });

  it.each([null, undefined, '', '   ', ',,', '...'])('%j → null', (raw) => {
    expect(normalizeName(raw)).toBeNull();
  });
});

describe('compareNames', () => {
  const cmp = (a: string, b: string) => compareNames(normalizeName(a) ?? [], normalizeName(b) ?? []);

  const TABLE = [
    ['Jane Smith', 'JANE SMITH', 'match', 1],
    ['Jane Smith', 'Smith Jane', 'match', 1],
    ['Mary Jane Smith', 'Maryjane Smith', 'match', 1],
    ['Maria de la Cruz', 'Maria Delacruz', 'match', 1],
    ['Jane Smith', 'Jane Anne Smith', 'match', 0.95],
    ['Jane A Smith', 'Jane Anne Smith', 'match', 0.95],
    ['Jane A Smith', 'SMITH JANE ANNE', 'match', 0.95],
    ['Jane Anne Marie Smith', 'Jane Marie Smith', 'match', 0.95],
    ['Jonathan Smith', 'Jonathon Smith', 'partial', 0.85],
    ['Jane Smith', 'Jane Smyth', 'partial', 0.85],
    ['J Smith', 'Jane Smith', 'partial', 0.8],
    ['Jane S', 'Jane Smith', 'partial', 0.7],
    ['Maria Garcia Lopez', 'Maria Garcia', 'partial', 0.8],
    ['John A Smith', 'John B Smith', 'partial', 0.6],
    ['Smith', 'Jane Smith', 'partial', 0.5],
    ['Jane Smith', 'Jane Doe', 'mismatch', 0.3],
    ['Bob Smith', 'Robert Smith', 'mismatch', 0.2],
    ['Liz Taylor', 'Elizabeth Taylor', 'mismatch', 0.2],
    ['J S', 'Jane Smith', 'mismatch', 0.3],
    ['Jane Smith', 'John Doe', 'mismatch', 0],
    ['Madonna', 'Cher', 'mismatch', 0],
    ['Smith Jane Anne', 'Jane A Smith', 'match', 0.95],
  ] as const;

  it.each(TABLE)('%j vs %j → %s (%d)', (a, b, status, score) => {
    expect(cmp(a, b)).toEqual({ status, score });
  });

  it.each(TABLE)('%j vs %j is symmetric', (a, b) => {
    expect(cmp(b, a)).toEqual(cmp(a, b));
  });

  it('is symmetric', () => {
    for (const [a, b] of [
      ['Jane Smith', 'Jane Anne Smith'],
      ['J Smith', 'Jane Smith'],
      ['Maria Garcia Lopez', 'Maria Garcia'],
      ['SMITH JANE A', 'Jane Anne Smith'],
      ['Smith Jane Anne', 'Jane A Smith'],
      ['John A Smith', 'Smith John B'],
      ['Jane S', 'Jane Smith'],
    ] as const) {
      expect(cmp(a, b)).toEqual(cmp(b, a));
    }
  });
});
