import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How hard to try again when Google Sheets says "too many requests", has a server error, or does
 * not answer in time. Google's guidance (https://developers.google.com/workspace/sheets/api/limits#exponential):
 * truncated exponential backoff, wait min(2^n seconds + random milliseconds, maximum_backoff) with
 * maximum_backoff 32 or 64 seconds, and keep retrying while the waits stay within a deadline.
 */
export interface RetryPolicy {
  /** Tries in all, the first included (default: no count, only the total wait bounds it). */
  attempts?: number;
  /** The first wait; each next one doubles (Google: 1 s, 2 s, 4 s, …). */
  baseDelayMs: number;
  /** maximum_backoff: no single wait is longer (Google: 32 or 64 s). */
  maxDelayMs: number;
  /** Random extra on each wait, so clients that failed together do not retry together (Google: up to 1 s). */
  jitterMs?: number;
  /** Give up when the waits so far plus the next would pass this (default 10 minutes). */
  totalMs?: number;
}

// Google's numbers: 1 s doubling, 64 s cap, 1 s of jitter; retry for up to 10 minutes of waiting,
// long enough for a per-minute quota to refill several times over.
export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 64_000, jitterMs: 1000, totalMs: 600_000 };

/**
 * Connection failures and client timeouts worth another try: a dropped or hung connection, not a
 * missing network (ENOTFOUND). gaxios names its own timeout TimeoutError and an abort AbortError.
 */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'TimeoutError', 'AbortError']);

interface HttpishError {
  status?: number;
  code?: string | number;
  name?: string;
  message?: string;
  cause?: unknown;
  response?: { status?: number; headers?: Headers | Record<string, string> };
}

export const statusOf = (error: unknown): number | undefined => {
  const e = error as HttpishError;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
};

/** The code of a connection failure or timeout (looking through `cause`), or undefined for anything else. */
export function transientCode(error: unknown): string | undefined {
  for (let e = error as HttpishError | undefined, depth = 0; e && depth < 4; e = e.cause as HttpishError | undefined, depth++) {
    for (const candidate of [String(e.code ?? ''), String(e.name ?? '')]) if (TRANSIENT_CODES.has(candidate)) return candidate;
    if (/socket hang up/i.test(String(e.message ?? ''))) return 'socket hang up';
  }
  return undefined;
}

function header(error: unknown, name: string): string | undefined {
  const headers = (error as HttpishError)?.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** Retry-After in milliseconds: seconds, or an HTTP date. */
function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Where waiting happens and where the randomness comes from (tests pass their own, so nothing really waits). */
export interface BackoffClock {
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

/**
 * Runs requests with Google's truncated exponential backoff (honouring Retry-After), printing each
 * retry on one line, and counts every request sent, so a sync can say what quota it used. This is
 * the only retry layer: the Google client's own retries are switched off.
 */
export class Backoff {
  requests = 0;
  retries = 0;
  /** Milliseconds waited in retries so far (all calls). */
  waitedMs = 0;

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly log: (line: string) => void = console.error,
    private readonly clock: BackoffClock = {},
  ) {}

  /**
   * `idempotent: false` (an append, a row deletion, adding a tab) retries only a 429, which
   * Google answers before doing anything; a 5xx or a timeout may have come after the change was made.
   * `count: false` when `call` counts its own requests (a read-write cycle retried as a whole).
   */
  async run<T>(what: string, call: () => Promise<T>, { idempotent = true, count = true } = {}): Promise<T> {
    const attempts = this.policy.attempts ?? Infinity;
    const totalMs = this.policy.totalMs ?? Infinity;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      if (count) this.requests++;
      try {
        return await call();
      } catch (error) {
        const status = statusOf(error);
        const transient = status === undefined ? transientCode(error) : undefined;
        const retryable = status === 429 || (idempotent && ((status !== undefined && status >= 500) || transient !== undefined));
        if (!retryable || attempt >= attempts) throw error;
        const delay = this.delay(attempt, retryAfterMs(header(error, 'retry-after')));
        if (waited + delay > totalMs) throw error;
        waited += delay;
        this.waitedMs += delay;
        this.retries++;
        const why = status === 429 ? '429 (too many requests)' : status ? `${status} (server error)` : `${transient} (no answer in time)`;
        const of = Number.isFinite(attempts) ? ` of ${attempts - 1}` : '';
        this.log(`sheets: ${what} got ${why}; retry ${attempt}${of} in ${(delay / 1000).toFixed(1)}s`);
        await (this.clock.sleep ?? sleep)(delay);
      }
    }
  }

  /** min(base·2^(n-1) + random jitter, maximum_backoff), or Retry-After when the server said. */
  private delay(attempt: number, retryAfter: number | undefined): number {
    if (retryAfter !== undefined) return Math.min(retryAfter, this.policy.maxDelayMs);
    const jitter = (this.clock.random ?? Math.random)() * (this.policy.jitterMs ?? this.policy.baseDelayMs);
    return Math.min(this.policy.baseDelayMs * 2 ** (attempt - 1) + jitter, this.policy.maxDelayMs);
  }

  usage(): string {
    const retries = this.retries ? ` (${this.retries} ${this.retries === 1 ? 'retry' : 'retries'})` : '';
    return `${this.requests} Google Sheets API ${this.requests === 1 ? 'request' : 'requests'}${retries}; the quota is 60 per minute`;
  }
}
