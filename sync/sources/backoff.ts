import { setTimeout as sleep } from 'node:timers/promises';

/** How hard to try again when Google Sheets says "too many requests" or has a server error. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// Google's advice for its quotas (60 requests per minute per user): exponential backoff up to about a minute.
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 64_000 };

/** Connection failures worth another try (a dropped connection, not a missing network). */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

interface HttpishError {
  status?: number;
  code?: string | number;
  response?: { status?: number; headers?: Headers | Record<string, string> };
}

export const statusOf = (error: unknown): number | undefined => {
  const e = error as HttpishError;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
};

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

/**
 * Runs requests with bounded exponential backoff (with jitter, honouring Retry-After), printing
 * each retry on one line, and counts every request sent, so a sync can say what quota it used.
 * This is the only retry layer: the Google client's own retries are switched off.
 */
export class Backoff {
  requests = 0;
  retries = 0;

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly log: (line: string) => void = console.error,
  ) {}

  /**
   * `idempotent: false` (an append, a row deletion, adding a tab) retries only a 429, which
   * Google answers before doing anything; a 5xx may have happened after the change was made.
   */
  async run<T>(what: string, call: () => Promise<T>, { idempotent = true } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      try {
        return await call();
      } catch (error) {
        const status = statusOf(error);
        const code = String((error as HttpishError)?.code ?? '');
        const retryable = status === 429 || (idempotent && ((status !== undefined && status >= 500) || (status === undefined && TRANSIENT_CODES.has(code))));
        if (!retryable || attempt >= this.policy.attempts) throw error;
        const delay = this.delay(attempt, retryAfterMs(header(error, 'retry-after')));
        this.retries++;
        const why = status === 429 ? '429 (too many requests)' : status ? `${status} (server error)` : code;
        this.log(`sheets: ${what} got ${why}; retry ${attempt} of ${this.policy.attempts - 1} in ${(delay / 1000).toFixed(1)}s`);
        await sleep(delay);
      }
    }
  }

  private delay(attempt: number, retryAfter: number | undefined): number {
    if (retryAfter !== undefined) return Math.min(retryAfter, this.policy.maxDelayMs);
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    // Half fixed, half random: clients that failed together do not retry together.
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  usage(): string {
    const retries = this.retries ? ` (${this.retries} ${this.retries === 1 ? 'retry' : 'retries'})` : '';
    return `${this.requests} Google Sheets API ${this.requests === 1 ? 'request' : 'requests'}${retries}; the quota is 60 per minute`;
  }
}
