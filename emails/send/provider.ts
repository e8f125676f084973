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

/**
 * Sends batches through the Resend SDK, which never throws on HTTP errors but answers
 * { data, error, headers }. Pacing follows the rate-limit headers (when a window's requests are
 * used up, wait for its reset), a 429 waits Retry-After, 5xx and network errors back off
 * exponentially, and every retry reuses the batch's idempotency key.
 */
export class BatchSender {
  requests = 0;
  private waitUntil = 0;
  constructor(
    private readonly resend: Pick<Resend, 'batch'>,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
  ) {}

  async send(messages: OutgoingMessage[], idempotencyKey: string): Promise<BatchOutcome> {
    const payload = messages.map(({ contact_id: _, ...email }) => email);
    let failures = 0;
    let rateWaits = 0;
    for (;;) {
      const pause = this.waitUntil - Date.now();
      if (pause > 0) await this.sleep(pause);
      this.requests++;
      const { data, error, headers } = await this.resend.batch.send(payload, { idempotencyKey });
      this.observe(headers);
      if (data) {
        if (data.data.length !== messages.length) throw new ProviderError(`Resend accepted ${data.data.length} of ${messages.length} messages in batch ${idempotencyKey}`);
        return { kind: 'accepted', ids: data.data.map((d) => d.id) };
      }
      const status = error?.statusCode ?? null;
      const name = String(error?.name ?? '');
      if (status === 409 && name === 'invalid_idempotent_request') return { kind: 'accepted-earlier' };
      if (status === 429 || (status === 409 && name === 'concurrent_idempotent_requests')) {
        if (++rateWaits > this.policy.maxRateLimitWaits) throw new ProviderError(`Resend kept answering ${status} (${name}); stopped after ${rateWaits - 1} waits: run again later`);
        const retryAfter = header(headers, 'retry-after') ?? 1;
        this.waitUntil = Math.max(this.waitUntil, Date.now() + retryAfter * 1000);
        continue;
      }
      if (status === null || status >= 500) {
        if (++failures > this.policy.maxRetries) throw new ProviderError(`Resend did not answer batch ${idempotencyKey} after ${failures} attempts (${error?.message ?? 'no answer'}): run again; the same key makes it safe`);
        await this.sleep(Math.min(this.policy.baseDelayMs * 2 ** (failures - 1), this.policy.maxDelayMs));
        continue;
      }
      throw new ProviderError(`Resend refused batch ${idempotencyKey}: ${status} ${name}: ${error?.message ?? ''}`);
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
