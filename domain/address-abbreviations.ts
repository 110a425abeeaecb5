/**
 * Lookup tables for US address normalisation (USPS Publication 28 forms).
 * Both sides of a comparison are mapped to the SAME canonical token, so the
 * choice of canonical spelling only needs to be consistent, not pretty.
 */

const STATE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['alabama', 'al'], ['alaska', 'ak'], ['arizona', 'az'], ['arkansas', 'ar'], ['california', 'ca'],
  ['colorado', 'co'], ['connecticut', 'ct'], ['delaware', 'de'], ['district of columbia', 'dc'],
  ['florida', 'fl'], ['georgia', 'ga'], ['hawaii', 'hi'], ['idaho', 'id'], ['illinois', 'il'],
  ['indiana', 'in'], ['iowa', 'ia'], ['kansas', 'ks'], ['kentucky', 'ky'], ['louisiana', 'la'],
  ['maine', 'me'], ['maryland', 'md'], ['massachusetts', 'ma'], ['michigan', 'mi'], ['minnesota', 'mn'],
  ['mississippi', 'ms'], ['missouri', 'mo'], ['montana', 'mt'], ['nebraska', 'ne'], ['nevada', 'nv'],
  ['new hampshire', 'nh'], ['new jersey', 'nj'], ['new mexico', 'nm'], ['new york', 'ny'],
  ['north carolina', 'nc'], ['north dakota', 'nd'], ['ohio', 'oh'], ['oklahoma', 'ok'], ['oregon', 'or'],
  ['pennsylvania', 'pa'], ['rhode island', 'ri'], ['south carolina', 'sc'], ['south dakota', 'sd'],
  ['tennessee', 'tn'], ['texas', 'tx'], ['utah', 'ut'], ['vermont', 'vt'], ['virginia', 'va'],
  ['washington', 'wa'], ['west virginia', 'wv'], ['wisconsin', 'wi'], ['wyoming', 'wy'],
  ['puerto rico', 'pr'], ['guam', 'gu'], ['us virgin islands', 'vi'], ['virgin islands', 'vi'],
  ['american samoa', 'as'], ['northern mariana islands', 'mp'],
];

/** Full state/territory names as token sequences → USPS codes, longest phrase first so "west virginia" wins over "virginia". */
export const US_STATES: ReadonlyArray<readonly [string[], string]> = STATE_NAMES.map(
  ([name, code]) => [name.split(' '), code] as const,
).sort((a, b) => b[0].length - a[0].length);

/** Country names dropped from the end of an address (domestic default). */
export const COUNTRY_PHRASES: ReadonlyArray<string[]> = [
  ['united', 'states', 'of', 'america'],
  ['united', 'states'],
  ['usa'],
  ['us'],
];

/** Single-word substitutions: street suffixes, directionals, unit designators, ordinals. */
export const WORD_ABBREVIATIONS: Readonly<Record<string, string>> = {
  // Street suffixes
  street: 'st', str: 'st', avenue: 'ave', av: 'ave', avn: 'ave', road: 'rd', boulevard: 'blvd', boul: 'blvd',
  drive: 'dr', drv: 'dr', lane: 'ln', court: 'ct', place: 'pl', terrace: 'ter', parkway: 'pkwy', pky: 'pkwy',
  highway: 'hwy', circle: 'cir', square: 'sq', trail: 'trl', crescent: 'cres', expressway: 'expy',
  freeway: 'fwy', center: 'ctr', centre: 'ctr', plaza: 'plz', point: 'pt', alley: 'aly', heights: 'hts',
  mount: 'mt', mountain: 'mtn', junction: 'jct', route: 'rte', turnpike: 'tpke', saint: 'st', fort: 'ft',
  // Directionals
  north: 'n', south: 's', east: 'e', west: 'w',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
  // Unit designators all collapse to one token: "Apt 4", "Suite 4", "#4", "Unit 4" mean the same thing.
  apartment: 'unit', apt: 'unit', suite: 'unit', ste: 'unit', unit: 'unit', rm: 'unit', room: 'unit',
  no: 'unit', number: 'unit',
  floor: 'fl', fl: 'fl', building: 'bldg', bldg: 'bldg',
  // Ordinals
  first: '1st', second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th',
  eighth: '8th', ninth: '9th', tenth: '10th',
};
