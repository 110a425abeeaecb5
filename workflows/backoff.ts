// The one exponential backoff the workflows use for re-checks and polls: doubles up to a ceiling.
export class Backoff {
  private seconds: number;

  constructor(private readonly initialSeconds: number, private readonly maxSeconds: number, startAtSeconds?: number) {
    this.seconds = startAtSeconds ?? initialSeconds;
  }

  /** The gap to wait now. */
  get currentSeconds(): number {
    return this.seconds;
  }

  /** Returns the gap to wait now and doubles the next one. */
  take(): number {
    const now = this.seconds;
    this.seconds = Math.min(this.seconds * 2, this.maxSeconds);
    return now;
  }

  reset(): void {
    this.seconds = this.initialSeconds;
  }
}
