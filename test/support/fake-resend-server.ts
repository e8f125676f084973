import { createHash, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Resend API on 127.0.0.1, built from Resend's documentation (each
 * behaviour cites its page) and the resend-node SDK (node_modules/resend, v6.38: what it sends and
 * the shapes it expects). Tests start it themselves; nothing here talks to the internet.
 *
 * Endpoints: POST /emails/batch, POST /emails, GET /emails (paged), GET /emails/:id, GET /usage,
 * GET /domains.
 * Always on: API-key permissions, the rate limit with its headers, idempotency keys, at most 100
 * emails a batch. With `strict`, everything else documented is enforced too: the plan's daily and
 * monthly quotas, its data retention, the idempotency key's format and each email's fields. The
 * fake's clock can be moved forward (days passing); the rate limit runs on the real clock, as the
 * client's pacing does.
 */

/** What the fake does to one POST request instead of (or besides) answering it. */
export type Fault = '429' | '500' | 'drop' | 'drop-after-accept';

/**
 * Every value of an email's last_event, from the SDK's GetEmailResponseSuccess type
 * (resend-node src/emails/interfaces/get-email-options.interface.ts).
 */
export const LAST_EVENTS = [
  'bounced', 'canceled', 'clicked', 'complained', 'delivered', 'delivery_delayed', 'failed', 'opened', 'queued', 'scheduled', 'sent', 'suppressed',
] as const;

/**
 * Plans. Quotas: https://resend.com/docs/knowledge-base/account-quotas-and-limits ("Free accounts:
 * daily email quota of 100 emails/day and 3,000 emails/month"; "Transactional Pro, Scale and
 * Enterprise plans have no daily quota limits, though the plan tier will dictate the monthly email
 * quota"); Pro 50,000 and Scale 100,000 a month from https://resend.com/pricing as quoted in
 * https://resend.com/changelog/pay-as-you-go-pricing ("the Pro plan (50,000 emails per month)").
 * Data retention 1 / 3 / 7 days: the pricing page's feature table (free 1 day, Pro 3 days, Scale 7
 * days), as reproduced in flexprice.io's Resend pricing guide (2025-08-20); not on a docs page.
 */
export const PLANS = {
  free: { daily: 100, monthly: 3_000, retentionDays: 1 },
  pro: { daily: null, monthly: 50_000, retentionDays: 3 },
  scale: { daily: null, monthly: 100_000, retentionDays: 7 },
} as const;
export type Plan = keyof typeof PLANS;

/**
 * API keys: "Full access" or "Sending access" (https://resend.com/docs/api-reference/api-keys/create-api-key,
 * permission: full_access | sending_access; https://resend.com/changelog/new-api-key-permissions:
 * "Sending access: allows the API key to only send emails"). A sending key used on anything but sending gets 401
 * restricted_api_key, "This API key is restricted to only send emails" (https://resend.com/docs/api-reference/errors).
 */
export type KeyPermission = 'full_access' | 'sending_access';

export interface FakeResendOptions {
  /**
   * Requests per window. "The default maximum rate limit is 2 requests per second per team"
   * (https://resend.com/docs/api-reference/introduction#rate-limit and the 2023 changelog
   * https://resend.com/changelog/api-rate-limit); a newer copy of
   * https://resend.com/docs/api-reference/rate-limit says 5. The two disagree, so the fake
   * defaults to the lower and always states its limit in ratelimit-limit, which clients follow.
   */
  limit?: number;
  windowMs?: number;
  plan?: Plan;
  /** Enforce everything documented: quotas, retention, idempotency key format, each email's fields. */
  strict?: boolean;
  /** GET /usage answers (the Usage API is "in private beta": without access it is not there). */
  usageApi?: boolean;
}

/**
 * A sending domain as GET /domains lists it (https://resend.com/docs/api-reference/domains/list-domains:
 * { object: 'list', has_more, data: [{ id, name, status, created_at, region, capabilities }] }).
 * The statuses are the SDK's DomainStatus (resend-node src/domains/interfaces/domain.ts): pending,
 * verified, failed, not_started, partially_verified, partially_failed.
 */
export interface FakeDomain {
  name: string;
  status: 'pending' | 'verified' | 'failed' | 'not_started' | 'partially_verified' | 'partially_failed';
}

export interface StoredEmail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  /** POST /emails only: base64 content, as the SDK sends it. */
  attachments?: { filename: string; content: string }[];
  created_at: string;
  last_event: string;
}

export interface BatchRequestLog {
  n: number;
  key?: string;
  at: number;
  outcome: 'accepted' | 'replayed' | 'conflict' | 'concurrent' | 'rate-limited' | 'quota' | 'invalid' | Fault;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const DAY = 86_400_000;
const error = (status: number, name: string, message: string, headers: Record<string, string> = {}): Answer => ({ status, body: { statusCode: status, name, message }, headers });
// A plausible address check: Resend answers validation_error for a `to` it cannot parse (https://resend.com/docs/api-reference/errors).
const isAddress = (s: unknown) => typeof s === 'string' && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(s.replace(/^.*<([^>]*)>\s*$/, '$1'));

export class FakeResend {
  url = '';
  readonly emails = new Map<string, StoredEmail>();
  /** Messages delivered per recipient address: exactly-once means every value is 1. */
  readonly deliveries = new Map<string, number>();
  readonly batchLog: BatchRequestLog[] = [];
  /** Requests per rate-limit window, and how many were refused for exceeding it. */
  readonly perWindow = new Map<number, number>();
  rateLimited = 0;
  readonly faults = new Map<number, Fault>();
  /** Keys this fake knows with their permission; any other `re_` key has full access. */
  readonly keys = new Map<string, KeyPermission>();
  /** Addresses on the team's suppression list: accepted, then last_event `suppressed`, never delivered. */
  readonly suppressed = new Set<string>();
  /** The team's sending domains (GET /domains). */
  readonly domains: FakeDomain[] = [];
  /** Called after a batch was accepted, before the answer is written (a test can kill the client here). */
  onAccept?: (n: number) => void | Promise<void>;
  readonly plan: Plan;
  readonly strict: boolean;
  readonly rateLimit: { limit: number; windowMs: number };
  private readonly usageApi: boolean;
  private readonly idempotency = new Map<string, { hash: string; answer?: Answer; at: number }>();
  /** When each email counted against the quota was accepted (fake clock). */
  private readonly counted: number[] = [];
  private server?: Server;
  private batchCount = 0;
  private offsetMs = 0;
  private tick = 0;

  constructor(options: FakeResendOptions = {}) {
    this.rateLimit = { limit: options.limit ?? 2, windowMs: options.windowMs ?? 1000 };
    this.plan = options.plan ?? 'free';
    this.strict = options.strict ?? false;
    this.usageApi = options.usageApi ?? true;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The fake's notion of now: the real clock moved forward by advance(). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Days (or any time) passing: quotas, retention and idempotency keys see it; the rate limit does not. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * DAY);
  }

  /** A key with sending access only, as the README's setup used to advise. */
  sendingKey(): string {
    const key = `re_sending_${randomUUID().slice(0, 8)}`;
    this.keys.set(key, 'sending_access');
    return key;
  }

  setEvent(id: string, event: string): void {
    this.emails.get(id)!.last_event = event;
  }

  /** Emails counted in the quota windows now: the rolling day and the calendar month (UTC). */
  usage(): { daily: number; monthly: number } {
    const now = this.now();
    const month = new Date(now).toISOString().slice(0, 7);
    let daily = 0;
    let monthly = 0;
    for (const at of this.counted) {
      if (now - at < DAY) daily++;
      if (new Date(at).toISOString().slice(0, 7) === month) monthly++;
    }
    return { daily, monthly };
  }

  private send(res: ServerResponse, { status, body, headers }: Answer, rate: Record<string, string>) {
    res.writeHead(status, { 'content-type': 'application/json', ...rate, ...headers });
    res.end(JSON.stringify(body));
  }

  /**
   * Counts the request in its fixed window and states the window in the IETF draft headers
   * ratelimit-limit / -remaining / -reset; past the limit, 429 rate_limit_exceeded with retry-after
   * (https://resend.com/docs/api-reference/rate-limit, "Response Headers").
   */
  private admit(): { headers: Record<string, string>; retryAfter?: number } {
    const now = Date.now();
    const window = Math.floor(now / this.rateLimit.windowMs);
    const used = (this.perWindow.get(window) ?? 0) + 1;
    this.perWindow.set(window, used);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * this.rateLimit.windowMs - now) / 1000));
    const headers = {
      'ratelimit-limit': String(this.rateLimit.limit),
      'ratelimit-remaining': String(Math.max(0, this.rateLimit.limit - used)),
      'ratelimit-reset': String(resetSeconds),
    };
    return used > this.rateLimit.limit ? { headers, retryAfter: resetSeconds } : { headers };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const token = /^Bearer (re_\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    // missing_api_key, 401 (https://resend.com/docs/api-reference/errors).
    if (!token) return this.send(res, error(401, 'missing_api_key', 'Missing API key in the authorization header.'), {});
    const url = new URL(req.url ?? '/', this.url);
    const limit = this.admit();
    const post = req.method === 'POST';
    if (limit.retryAfter !== undefined) {
      this.rateLimited++;
      if (post) this.batchLog.push({ n: ++this.batchCount, key: req.headers['idempotency-key'] as string, at: Date.now(), outcome: 'rate-limited' });
      return this.send(res, error(429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.', { 'retry-after': String(limit.retryAfter) }), limit.headers);
    }
    const sending = post && (url.pathname === '/emails/batch' || url.pathname === '/emails');
    // GET /usage works "with any API key" (https://resend.com/changelog/account-usage-api).
    if (!sending && url.pathname !== '/usage' && this.keys.get(token) === 'sending_access') {
      return this.send(res, error(401, 'restricted_api_key', 'This API key is restricted to only send emails.'), limit.headers);
    }
    if (sending) return this.sendEmails(req, res, raw, limit.headers, url.pathname === '/emails');
    if (req.method === 'GET' && url.pathname === '/emails') return this.send(res, this.list(url), limit.headers);
    if (req.method === 'GET' && url.pathname === '/usage') return this.send(res, this.usageAnswer(), limit.headers);
    // A sending-only key got restricted_api_key above: reading domains needs full access.
    if (req.method === 'GET' && url.pathname === '/domains') return this.send(res, this.domainList(), limit.headers);
    const one = /^\/emails\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const email = this.emails.get(one[1]);
      return this.send(res, email && this.retained(email) ? { status: 200, body: { object: 'email', ...email } } : error(404, 'not_found', 'Email not found'), limit.headers);
    }
    this.send(res, error(404, 'not_found', 'The requested endpoint does not exist.'), limit.headers);
  }

  /** GET /domains: every domain, one page (a team has a handful). */
  private domainList(): Answer {
    const data = this.domains.map((d, i) => ({
      id: `d91cd9bd-1176-453e-8fc1-35364d38${String(i).padStart(4, '0')}`, name: d.name, status: d.status,
      created_at: new Date(this.now()).toISOString(), region: 'us-east-1', capabilities: { sending: 'enabled', receiving: 'disabled' },
    }));
    return { status: 200, body: { object: 'list', has_more: false, data } };
  }

  /**
   * Emails are kept for the plan's retention window; after it GET /emails/:id is 404 not_found and
   * the list leaves them out (retention per plan on https://resend.com/pricing). Strict mode only.
   */
  private retained(email: StoredEmail): boolean {
    return !this.strict || this.now() - Date.parse(email.created_at) < PLANS[this.plan].retentionDays * DAY;
  }

  /**
   * GET /usage (https://resend.com/docs/api-reference/usage/retrieve-usage): emails.daily is a
   * "rolling 24-hour quota" whose limit is null on paid plans; emails.monthly is the calendar month.
   * Without strict, no quota is enforced and none is reported.
   */
  private usageAnswer(): Answer {
    if (!this.usageApi) return error(404, 'not_found', 'The requested endpoint does not exist.');
    const now = this.now();
    const used = this.usage();
    const plan = PLANS[this.plan];
    const oldestToday = this.counted.find((at) => now - at < DAY) ?? now;
    const nextMonth = new Date(now);
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 1);
    nextMonth.setUTCHours(0, 0, 0, 0);
    return {
      status: 200,
      body: {
        object: 'usage',
        generated_at: new Date(now).toISOString(),
        emails: {
          daily: { used: used.daily, limit: this.strict ? plan.daily : null, sent: used.daily, received: 0, resets_at: new Date(oldestToday + DAY).toISOString() },
          monthly: { used: used.monthly, limit: this.strict ? plan.monthly : 1_000_000_000, sent: used.monthly, received: 0, resets_at: nextMonth.toISOString() },
        },
      },
    };
  }

  /**
   * The daily and monthly quotas: past them Resend answers 429 daily_quota_exceeded /
   * monthly_quota_exceeded (https://resend.com/docs/api-reference/errors). "Multiple To, CC, or BCC
   * recipients count as separate emails" and every email of a batch counts
   * (https://resend.com/docs/knowledge-base/account-quotas-and-limits). The docs do not say what
   * happens to a batch that would cross the quota part-way; the fake refuses it whole, which is the
   * case a client must handle anyway (nothing of that request went out).
   */
  private quotaRefusal(count: number): Answer | undefined {
    if (!this.strict) return undefined;
    const plan = PLANS[this.plan];
    const used = this.usage();
    if (plan.daily !== null && used.daily + count > plan.daily) return error(429, 'daily_quota_exceeded', `You have reached your daily email sending quota (${plan.daily} emails).`);
    if (used.monthly + count > plan.monthly) return error(429, 'monthly_quota_exceeded', `You have reached your monthly email sending quota (${plan.monthly} emails).`);
    return undefined;
  }

  /** Why one email of a request is invalid (strict mode: from, to, subject and a body are required), or undefined. */
  private invalid(email: Record<string, unknown>): string | undefined {
    if (!this.strict) return undefined;
    const to = Array.isArray(email.to) ? email.to : [email.to];
    if (!email.from) return 'The `from` field is required.';
    if (to.length === 0 || !to.every(isAddress)) return `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`;
    if (!email.subject) return 'The `subject` field is required.';
    if (!email.html && !email.text) return 'Either `html` or `text` must be provided.';
    return undefined;
  }

  /**
   * A batch, or with `single` one email (POST /emails answers { id }).
   * Idempotency (https://resend.com/docs/dashboard/emails/idempotency-keys): a key is kept 24 hours;
   * the same key with the same payload answers as the first time and sends nothing; with another
   * payload 409 invalid_idempotent_request; while the first is still in progress 409
   * concurrent_idempotent_requests; the key must be 1-256 characters, else 400
   * invalid_idempotency_key (https://resend.com/docs/api-reference/errors). Refusals are not
   * remembered under the key: nothing was created, so the same request may be made again.
   * Batch validation (https://resend.com/docs/api-reference/emails/send-batch-emails and
   * https://resend.com/changelog/batch-validation-modes): x-batch-validation `strict` (the SDK's
   * default) sends the batch only if every email is valid, else 422 and nothing is sent;
   * `permissive` sends the valid ones and lists the others in `errors` as { index, message }.
   * At most 100 emails a batch.
   */
  private async sendEmails(req: IncomingMessage, res: ServerResponse, raw: string, rate: Record<string, string>, single: boolean): Promise<void> {
    const n = ++this.batchCount;
    const key = req.headers['idempotency-key'] as string | undefined;
    const log = (outcome: BatchRequestLog['outcome']) => this.batchLog.push({ n, key, at: Date.now(), outcome });
    const fault = this.faults.get(n);
    if (fault === '429') {
      log(fault);
      return this.send(res, error(429, 'rate_limit_exceeded', 'Too many requests', { 'retry-after': '1' }), rate);
    }
    if (fault === '500') {
      log(fault);
      return this.send(res, error(500, 'internal_server_error', 'Internal server error'), rate);
    }
    if (fault === 'drop') {
      log(fault);
      req.socket.destroy();
      return;
    }
    if (key !== undefined && this.strict && (key.length < 1 || key.length > 256 || !/^[\x20-\x7e]+$/.test(key))) {
      log('invalid');
      return this.send(res, error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'), rate);
    }
    const hash = createHash('sha256').update(raw).digest('hex');
    const now = this.now();
    const previous = key ? this.idempotency.get(key) : undefined;
    const live = previous && now - previous.at < DAY ? previous : undefined;
    if (live && live.hash !== hash) {
      log('conflict');
      return this.send(res, error(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.'), rate);
    }
    if (live && !live.answer) {
      log('concurrent');
      return this.send(res, error(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress.'), rate);
    }
    let answer = live?.answer;
    if (!answer) {
      const entry = { hash, at: now } as { hash: string; answer?: Answer; at: number };
      if (key) this.idempotency.set(key, entry);
      answer = this.accept(raw, single, req.headers['x-batch-validation'] === 'permissive');
      if (answer.status !== 200) {
        if (key) this.idempotency.delete(key);
        log(answer.status === 429 ? 'quota' : 'invalid');
        return this.send(res, answer, rate);
      }
      await this.onAccept?.(n);
      entry.answer = answer;
    }
    log(fault === 'drop-after-accept' ? fault : live ? 'replayed' : 'accepted');
    if (fault === 'drop-after-accept' || res.destroyed) {
      req.socket.destroy();
      return;
    }
    this.send(res, answer, rate);
  }

  /** Validates, checks the quota and stores the emails of one request; the answer to give. */
  private accept(raw: string, single: boolean, permissive: boolean): Answer {
    const parsed = JSON.parse(raw) as Record<string, unknown> | Record<string, unknown>[];
    const emails = single ? [parsed as Record<string, unknown>] : (parsed as Record<string, unknown>[]);
    if (!single && emails.length > 100) return error(422, 'validation_error', 'Too many emails: a batch holds at most 100.');
    const errors: { index: number; message: string }[] = [];
    emails.forEach((e, index) => {
      const message = this.invalid(e);
      if (message) errors.push({ index, message });
    });
    if (errors.length > 0 && (single || !permissive)) return error(422, 'validation_error', `${single ? '' : `emails[${errors[0].index}]: `}${errors[0].message}`);
    const valid = emails.filter((_, i) => !errors.some((x) => x.index === i));
    const recipients = valid.reduce((sum, e) => sum + (Array.isArray(e.to) ? e.to.length : 1), 0);
    const overQuota = this.quotaRefusal(recipients);
    if (overQuota) return overQuota;
    const ids = valid.map((e) => {
      const id = randomUUID();
      const to = (Array.isArray(e.to) ? e.to : [e.to]) as string[];
      // Distinct, increasing creation times so listing order is well defined.
      const created_at = new Date(this.now() + ++this.tick).toISOString();
      const suppressed = to.some((a) => this.suppressed.has(a.toLowerCase()));
      this.emails.set(id, { ...(e as unknown as StoredEmail), to, id, created_at, last_event: suppressed ? 'suppressed' : 'sent' });
      for (const address of to) {
        this.counted.push(this.now());
        if (!suppressed) this.deliveries.set(address, (this.deliveries.get(address) ?? 0) + 1);
      }
      return { id };
    });
    if (single) return { status: 200, body: ids[0] };
    return { status: 200, body: permissive ? { data: ids, errors } : { data: ids } };
  }

  /** GET /emails: newest first, `limit` (at most 100) and the `after` cursor (https://resend.com/docs/api-reference/emails/list-emails). */
  private list(url: URL): Answer {
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 20));
    const after = url.searchParams.get('after');
    const all = [...this.emails.values()].filter((e) => this.retained(e)).sort((a, b) => b.created_at.localeCompare(a.created_at));
    const start = after ? all.findIndex((e) => e.id === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    return {
      status: 200,
      body: { object: 'list', has_more: start + limit < all.length, data: page.map(({ html: _h, text: _t, tags: _g, headers: _x, ...e }) => e) },
    };
  }
}
