import { errors } from '../errors';

// Stripe's v1 API takes application/x-www-form-urlencoded bodies and query strings with bracket
// nesting: `features[0]=balance`, `features[]=balance`, `account_holder[customer]=cus_1`,
// `transacted_at[gte]=1700000000`. The SDK sends indexed arrays (`expand[0]=ownership`); curl users
// (the seed docs) send `features[]=...`. Both decode to the same value here.
// Objects are prototype-less, so keys such as `__proto__` are plain data, never pollution.

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const MAX_PAIRS = 1000;
const MAX_DEPTH = 6;

export function emptyForm(): FormObject {
  return Object.create(null) as FormObject;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw errors.malformedBody(`could not percent-decode '${part.slice(0, 40)}'`);
  }
}

/** Splits `a[b][]` into ['a', 'b', '']; a key with unbalanced brackets is one literal segment. */
function keySegments(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const re = /\[([^[\]]*)\]/g;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest)) !== null) {
    if (match.index !== consumed) return [key];
    segments.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  return consumed === rest.length ? segments : [key];
}

function isObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assign(target: FormObject, segments: string[], value: string, fullKey: string): void {
  if (segments.length > MAX_DEPTH) throw errors.malformedBody(`parameter '${fullKey}' is nested too deeply`);
  let node = target;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i] ?? '';
    const last = i === segments.length - 1;
    // `x[]` appends: the next free index among the keys already present.
    if (segment === '' && i > 0) segment = String(Object.keys(node).length);
    if (last) {
      if (isObject(node[segment])) throw errors.malformedBody(`parameter '${fullKey}' mixes a value and a hash`);
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (existing === undefined) {
      const child = emptyForm();
      node[segment] = child;
      node = child;
    } else if (isObject(existing)) {
      node = existing;
    } else {
      throw errors.malformedBody(`parameter '${fullKey}' mixes a value and a hash`);
    }
  }
}

/** Hashes whose keys are all indexes become arrays, in index order. */
function finalize(value: FormValue): FormValue {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = finalize(value[key] as FormValue);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k] as FormValue);
  }
  return value;
}

export function parseForm(input: string): FormObject {
  const result = emptyForm();
  if (!input) return result;
  const pairs = input.split('&');
  if (pairs.length > MAX_PAIRS) throw errors.malformedBody('too many parameters');
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    if (key === '') continue;
    assign(result, keySegments(key), decode(rawValue), key);
  }
  for (const key of Object.keys(result)) result[key] = finalize(result[key] as FormValue);
  return result;
}

/** JSON bodies are not what Stripe's v1 API takes, but tolerate them by reducing to form values. */
export function fromJson(value: unknown): FormValue {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(fromJson);
  if (typeof value === 'object') {
    const out = emptyForm();
    for (const [k, v] of Object.entries(value)) out[k] = fromJson(v);
    return out;
  }
  return String(value);
}

export function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}
