import { EmailError } from '../errors.ts';
import { Resend } from 'resend';
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
  | { kind: 'accepted-earlier' }
  /** 429 daily_quota_exceeded / monthly_quota_exceeded: nothing of this request went out; sending can go on once the quota allows. */
  | { kind: 'quota'; quota: 'daily' | 'monthly'; message: string }
  /** Any other 4xx (validation, domain, key): Resend did not take the request, so nothing went out. */
  | { kind: 'refused'; message: string };

/**
 * What the account may still send now, when Resend says (GET /usage); only the free plan has a
 * daily cap, and paid plans may send past the monthly quota as overage, so only a daily cap is
 * planned around. `resetsAt` is when the binding window frees up.
 */
export interface Quota {
  remaining: number;
  quota: 'daily' | 'monthly';
  resetsAt?: string;
}

/** Where a quota stopped a send. */
export interface QuotaStop {
  quota: 'daily' | 'monthly';
  /** When sending can go on (an estimate when Resend did not say). */
  resumeAfter: string;
}

const DAY_MS = 86_400_000;

/** When a quota frees up: Resend's resets_at when known; else 24 h on (the daily quota counts a rolling 24 hours) or the next calendar month (UTC). */
export function resumeAfter(quota: 'daily' | 'monthly', now: Date, resetsAt?: string): string {
  if (resetsAt) return resetsAt;
  if (quota === 'daily') return new Date(now.getTime() + DAY_MS).toISOString();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

const QUOTA_ERRORS: Record<string, 'daily' | 'monthly'> = { daily_quota_exceeded: 'daily', monthly_quota_exceeded: 'monthly' };

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
      // A quota is not a rate limit: waiting seconds does not help, so the caller decides (https://resend.com/docs/api-reference/errors).
      if (status === 429 && QUOTA_ERRORS[name]) return answer;
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

/** The Resend client from RESEND_API_KEY (and RESEND_BASE_URL, which tests point at a local fake). */
export function resendFromEnv(env: NodeJS.ProcessEnv = process.env): Resend {
  // The SDK reads RESEND_BASE_URL itself; passing it keeps that explicit.
  return new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : undefined);
}

/** Sends batches (and single messages); every retry reuses its idempotency key (the same request, replayed). */
export class BatchSender {
  constructor(
    private readonly resend: Pick<Resend, 'batch' | 'emails'> & Partial<Pick<Resend, 'usage'>>,
    readonly pacer: Pacer = new Pacer(),
  ) {}

  get requests(): number {
    return this.pacer.requests;
  }

  /**
   * The free plan's remaining daily (and monthly) quota from GET /usage, which answers "with any API
   * key" (https://resend.com/changelog/account-usage-api). The Usage API is in private beta
   * (https://resend.com/docs/api-reference/usage/retrieve-usage), so any refusal means "not known":
   * the send then stops at the first quota 429 instead.
   */
  async quota(): Promise<Quota | undefined> {
    if (!this.resend.usage) return undefined;
    const usage = this.resend.usage;
    // Not knowing is fine (the first quota 429 stops the send): a usage endpoint that fails never blocks sending.
    const emails = await this.pacer.call('usage', () => usage.get()).then((a) => a.data?.emails, () => undefined);
    if (!emails || emails.daily.limit === null) return undefined;
    const daily: Quota = { remaining: Math.max(0, emails.daily.limit - emails.daily.used), quota: 'daily', resetsAt: emails.daily.resets_at };
    const monthly: Quota = { remaining: Math.max(0, emails.monthly.limit - emails.monthly.used), quota: 'monthly', resetsAt: emails.monthly.resets_at };
    return monthly.remaining < daily.remaining ? monthly : daily;
  }

  async send(messages: OutgoingMessage[], idempotencyKey: string): Promise<BatchOutcome> {
    const payload = messages.map(({ contact_id: _, ...email }) => email);
    const what = `batch ${idempotencyKey} (the same key makes a re-run safe)`;
    const { data, error } = await this.pacer.call(what, () => this.resend.batch.send(payload, { idempotencyKey }));
    if (data) {
      if (data.data.length !== messages.length) throw new ProviderError(`Resend accepted ${data.data.length} of ${messages.length} messages in batch ${idempotencyKey}`);
      return { kind: 'accepted', ids: data.data.map((d) => d.id) };
    }
    return refused(error, `batch ${idempotencyKey}`);
  }

  /** One message on its own (POST /emails): how attachments are sent, since batches cannot carry them. */
  async sendOne(message: OutgoingMessage, idempotencyKey: string): Promise<BatchOutcome> {
    const { contact_id: _, ...email } = message;
    const what = `message ${idempotencyKey} (the same key makes a re-run safe)`;
    const { data, error } = await this.pacer.call(what, () => this.resend.emails.send(email, { idempotencyKey }));
    return data ? { kind: 'accepted', ids: [data.id] } : refused(error, `message ${idempotencyKey}`);
  }
}

/**
 * A refusal the pacer did not retry. A reused key with another payload was accepted before; a
 * quota or any other 4xx means Resend took nothing of the request. Anything else (no status) stops.
 */
function refused(error: SdkAnswer<unknown>['error'], what: string): BatchOutcome {
  const status = error?.statusCode ?? 0;
  const name = String(error?.name ?? '');
  const message = `Resend refused ${what}: ${status} ${name}: ${error?.message ?? ''}`;
  if (status === 409 && name === 'invalid_idempotent_request') return { kind: 'accepted-earlier' };
  if (status === 429 && QUOTA_ERRORS[name]) return { kind: 'quota', quota: QUOTA_ERRORS[name], message };
  if (status >= 400 && status < 500) return { kind: 'refused', message };
  throw new ProviderError(message);
}
