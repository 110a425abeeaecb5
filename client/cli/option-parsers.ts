import { InvalidArgumentError } from 'commander';

// Commander option parsers: a bad flag is a usage error (exit 2) named by Commander, before anything is contacted.

export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    }
    return number;
  };
}

/** An IANA zone the runtime knows (the Temporal server resolves it the same way, from the tz database). */
export function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new InvalidArgumentError('must be an IANA time zone such as UTC or America/New_York');
  }
  return value;
}
