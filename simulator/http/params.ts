import { errors } from '../errors';
import type { FormObject, FormValue } from './form';

// Typed, Stripe-faithful reading of decoded form params. Every endpoint declares what it reads; what
// is left over is rejected like api.stripe.com does ("Received unknown parameter: x", parameter_unknown).

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

function isHash(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class Params {
  private readonly used = new Set<string>();

  constructor(private readonly values: FormObject) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** A scalar string param; '' is Stripe's "unset" and is refused for params that cannot be unset. */
  string(name: string, opts: { required?: boolean } = {}): string | undefined {
    this.used.add(name);
    const value = this.values[name];
    if (value === undefined) {
      if (opts.required) throw errors.missingParameter(name);
      return undefined;
    }
    if (typeof value !== 'string') throw errors.invalidValue(name, `Invalid ${name}: must be a string`);
    if (value === '') throw errors.emptyParameter(name);
    return value;
  }

  integer(name: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return parseInteger(name, raw, opts);
  }

  /** An array of strings (`x[]=a` or `x[0]=a`); a lone scalar is accepted as a one-element array. */
  stringArray(name: string, opts: { required?: boolean } = {}): string[] | undefined {
    this.used.add(name);
    const value = this.values[name];
    if (value === undefined) {
      if (opts.required) throw errors.missingParameter(name);
      return undefined;
    }
    if (value === '') throw errors.emptyParameter(name);
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!items) throw errors.notAnArray(name);
    return items.map((item, i) => {
      if (typeof item !== 'string') throw errors.invalidValue(`${name}[${i}]`, `Invalid ${name}[${i}]: must be a string`);
      if (item === '') throw errors.emptyParameter(`${name}[${i}]`);
      return item;
    });
  }

  enumArray<T extends string>(name: string, allowed: readonly T[], opts: { required?: boolean } = {}): T[] | undefined {
    const items = this.stringArray(name, opts);
    if (!items) return undefined;
    if (items.length === 0) throw errors.emptyParameter(name);
    return items.map((item, i) => {
      if (!(allowed as readonly string[]).includes(item)) throw errors.invalidEnum(`${name}[${i}]`, item, allowed);
      return item as T;
    });
  }

  /** A hash param; its own keys are checked against `keys` (`account_holder[foo]` -> unknown parameter). */
  hash(name: string, keys: readonly string[]): Record<string, string> | undefined {
    this.used.add(name);
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (!isHash(value)) throw errors.notAHash(name);
    const out: Record<string, string> = {};
    for (const [key, inner] of Object.entries(value)) {
      const param = `${name}[${key}]`;
      if (!keys.includes(key)) throw errors.unknownParameter(param);
      if (typeof inner !== 'string') throw errors.invalidValue(param, `Invalid ${param}: must be a string`);
      if (inner === '') throw errors.emptyParameter(param);
      out[key] = inner;
    }
    return out;
  }

  /** `transacted_at=123` (exact) or `transacted_at[gte]=...` etc. */
  range(name: string): RangeFilter | undefined {
    const value = this.values[name];
    if (typeof value === 'string') {
      this.used.add(name);
      if (value === '') throw errors.emptyParameter(name);
      const exact = parseInteger(name, value, {});
      return { gte: exact, lte: exact };
    }
    const raw = this.hash(name, ['gt', 'gte', 'lt', 'lte']);
    if (!raw) return undefined;
    const out: RangeFilter = {};
    for (const [key, text] of Object.entries(raw)) out[key as keyof RangeFilter] = parseInteger(`${name}[${key}]`, text, {});
    return out;
  }

  /** Rejects whatever the endpoint did not read. */
  assertNoUnknown(): void {
    for (const key of Object.keys(this.values)) {
      if (!this.used.has(key)) throw errors.unknownParameter(key);
    }
  }
}

function parseInteger(name: string, raw: string, opts: { min?: number; max?: number }): number {
  if (!/^-?\d+$/.test(raw)) throw errors.invalidInteger(name, raw);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw errors.invalidInteger(name, raw);
  if (opts.min !== undefined && n < opts.min) {
    throw errors.invalidValue(name, `Invalid ${name}: must be greater than or equal to ${opts.min}`);
  }
  if (opts.max !== undefined && n > opts.max) {
    throw errors.invalidValue(name, `Invalid ${name}: must be less than or equal to ${opts.max}`);
  }
  return n;
}

export function inRange(value: number, range: RangeFilter | undefined): boolean {
  if (!range) return true;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}
