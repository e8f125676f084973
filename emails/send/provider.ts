import { EmailError } from '../errors.ts';
import type { Resend } from 'resend';
import type { OutgoingMessage } from './message.ts';

export interface RetryPolicy {
  /** Attempts after the first, for 5xx and network errors (429s wait as told and do not count). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bound on 429 waits, so a provider that never lets up cannot hold the run forever. */
  maxRateLimitWaits: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRateLimitWaits: 20 };

export type BatchOutcome =
  | { kind: 'accepted'; ids: string[] }
  /** The key was already used with a different payload (data changed between runs): Resend has
   * sent that batch before, so it is recorded as sent, with ids we cannot know. */
  | { kind: 'accepted-earlier' };

export class ProviderError extends EmailError {}

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const header = (headers: Record<string, string> | null | undefined, name: string) => {
  const v = headers?.[name];
  return v === undefined ? undefined : Number(v);
};

type SdkAnswer<T> = { data: T | null; error: { statusCode?: number | null; name?: string; message?: string } | null; headers: Record<string, string> | null };

/**
 * Calls the Resend SDK, which never throws on HTTP errors but answers { data, error, headers }.
 * Pacing follows the rate-limit headers (when a window's requests are used up, wait for its
 * reset), a 429 waits Retry-After, 5xx and network errors back off exponentially up to a bound.
 * Any other error is returned for the caller to judge.
 */
export class Pacer {
  requests = 0;
  private waitUntil = 0;
  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
  ) {}

  async call<T>(what: string, request: () => Promise<SdkAnswer<T>>): Promise<SdkAnswer<T>> {
    let failures = 0;
    let rateWaits = 0;
    for (;;) {
      const pause = this.waitUntil - Date.now();
      if (pause > 0) await this.sleep(pause);
      this.requests++;
      const answer = await request();
      const { error, headers } = answer;
      this.observe(headers);
      if (!error) return answer;
      const status = error.statusCode ?? null;
      const name = String(error.name ?? '');
      if (status === 429 || (status === 409 && name === 'concurrent_idempotent_requests')) {
        if (++rateWaits > this.policy.maxRateLimitWaits) throw new ProviderError(`Resend kept answering ${status} (${name}) to ${what}; stopped after ${rateWaits - 1} waits: run again later`);
        const retryAfter = header(headers, 'retry-after') ?? 1;
        this.waitUntil = Math.max(this.waitUntil, Date.now() + retryAfter * 1000);
        continue;
      }
      if (status === null || status >= 500) {
        if (++failures > this.policy.maxRetries) throw new ProviderError(`Resend did not answer ${what} after ${failures} attempts (${error.message ?? 'no answer'}): run again`);
        await this.sleep(Math.min(this.policy.baseDelayMs * 2 ** (failures - 1), this.policy.maxDelayMs));
        continue;
      }
      return answer;
    }
  }

  /** ratelimit-remaining 0 means this window is spent: hold the next request until ratelimit-reset. */
  private observe(headers: Record<string, string> | null | undefined): void {
    const remaining = header(headers, 'ratelimit-remaining');
    const reset = header(headers, 'ratelimit-reset');
    if (remaining !== undefined && remaining <= 0 && reset !== undefined) {
      this.waitUntil = Math.max(this.waitUntil, Date.now() + reset * 1000);
    }
  }
}

/** Sends batches; every retry of a batch reuses its idempotency key (the same request, replayed). */
export class BatchSender {
  constructor(
    private readonly resend: Pick<Resend, 'batch'>,
    readonly pacer: Pacer = new Pacer(),
  ) {}

  get requests(): number {
    return this.pacer.requests;
  }

  async send(messages: OutgoingMessage[], idempotencyKey: string): Promise<BatchOutcome> {
    const payload = messages.map(({ contact_id: _, ...email }) => email);
    const what = `batch ${idempotencyKey} (the same key makes a re-run safe)`;
    const { data, error } = await this.pacer.call(what, () => this.resend.batch.send(payload, { idempotencyKey }));
    if (data) {
      if (data.data.length !== messages.length) throw new ProviderError(`Resend accepted ${data.data.length} of ${messages.length} messages in batch ${idempotencyKey}`);
      return { kind: 'accepted', ids: data.data.map((d) => d.id) };
    }
    if (error?.statusCode === 409 && error.name === 'invalid_idempotent_request') return { kind: 'accepted-earlier' };
    throw new ProviderError(`Resend refused batch ${idempotencyKey}: ${error?.statusCode} ${error?.name}: ${error?.message ?? ''}`);
  }
}
