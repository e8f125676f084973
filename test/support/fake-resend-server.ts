import { createHash, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake does to one POST /emails/batch request instead of (or besides) answering it. */
export type Fault = '429' | '500' | 'drop' | 'drop-after-accept';

export interface StoredEmail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  created_at: string;
  last_event: string;
}

export interface BatchRequestLog {
  n: number;
  key?: string;
  at: number;
  outcome: 'accepted' | 'replayed' | 'conflict' | 'rate-limited' | Fault;
}

/**
 * A local stand-in for the Resend API on 127.0.0.1: POST /emails/batch (with Idempotency-Key
 * semantics: a repeated key with the same body replays the first answer and sends nothing; with a
 * different body it is a 409), GET /emails (paged, newest first) and GET /emails/:id. It enforces a
 * fixed-window rate limit with ratelimit-* headers and can inject 429s, 500s and dropped connections.
 */
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
  /** Called after a batch was accepted, before the answer is written (a test can kill the client here). */
  onAccept?: (n: number) => void | Promise<void>;
  private readonly keys = new Map<string, { hash: string; body: unknown }>();
  private server?: Server;
  private batchCount = 0;
  private clock = 0;

  constructor(readonly rateLimit = { limit: 10, windowMs: 1000 }) {}

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

  setEvent(id: string, event: string): void {
    this.emails.get(id)!.last_event = event;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /** Counts the request in its window; undefined when allowed, else the seconds to wait. */
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
    if (!/^Bearer re_/.test(req.headers.authorization ?? '')) return this.json(res, 401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });
    const url = new URL(req.url ?? '/', this.url);
    const limit = this.admit();
    if (limit.retryAfter !== undefined) {
      this.rateLimited++;
      if (req.method === 'POST') this.batchLog.push({ n: ++this.batchCount, key: req.headers['idempotency-key'] as string, at: Date.now(), outcome: 'rate-limited' });
      return this.json(res, 429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' }, { ...limit.headers, 'retry-after': String(limit.retryAfter) });
    }
    if (req.method === 'POST' && url.pathname === '/emails/batch') return this.batch(req, res, raw, limit.headers);
    if (req.method === 'GET' && url.pathname === '/emails') return this.list(url, res, limit.headers);
    const one = /^\/emails\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const email = this.emails.get(one[1]);
      return email ? this.json(res, 200, { object: 'email', ...email }, limit.headers) : this.json(res, 404, { statusCode: 404, name: 'not_found', message: 'Email not found' }, limit.headers);
    }
    this.json(res, 404, { statusCode: 404, name: 'not_found', message: 'no such endpoint' });
  }

  private async batch(req: IncomingMessage, res: ServerResponse, raw: string, headers: Record<string, string>): Promise<void> {
    const n = ++this.batchCount;
    const key = req.headers['idempotency-key'] as string | undefined;
    const log = (outcome: BatchRequestLog['outcome']) => this.batchLog.push({ n, key, at: Date.now(), outcome });
    const fault = this.faults.get(n);
    if (fault === '429') {
      log(fault);
      return this.json(res, 429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' }, { ...headers, 'retry-after': '1' });
    }
    if (fault === '500') {
      log(fault);
      return this.json(res, 500, { statusCode: 500, name: 'internal_server_error', message: 'Internal server error' }, headers);
    }
    if (fault === 'drop') {
      log(fault);
      req.socket.destroy();
      return;
    }
    const hash = createHash('sha256').update(raw).digest('hex');
    const previous = key ? this.keys.get(key) : undefined;
    if (previous && previous.hash !== hash) {
      log('conflict');
      return this.json(res, 409, { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload' }, headers);
    }
    let body = previous?.body;
    if (!previous) {
      const emails = JSON.parse(raw) as Omit<StoredEmail, 'id' | 'created_at' | 'last_event'>[];
      if (emails.length > 100) return this.json(res, 422, { statusCode: 422, name: 'validation_error', message: 'at most 100 emails per batch' }, headers);
      const ids = emails.map((e) => {
        const id = randomUUID();
        const to = Array.isArray(e.to) ? e.to : [e.to as unknown as string];
        // Distinct, increasing creation times so listing order is well defined.
        const created_at = new Date(Date.now() + ++this.clock).toISOString();
        this.emails.set(id, { ...e, to, id, created_at, last_event: 'sent' });
        for (const address of to) this.deliveries.set(address, (this.deliveries.get(address) ?? 0) + 1);
        return { id };
      });
      body = { data: ids };
      if (key) this.keys.set(key, { hash, body });
    }
    log(fault === 'drop-after-accept' ? fault : previous ? 'replayed' : 'accepted');
    await this.onAccept?.(n);
    if (fault === 'drop-after-accept' || res.destroyed) {
      req.socket.destroy();
      return;
    }
    this.json(res, 200, body, headers);
  }

  private list(url: URL, res: ServerResponse, headers: Record<string, string>): void {
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 20));
    const after = url.searchParams.get('after');
    const all = [...this.emails.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
    const start = after ? all.findIndex((e) => e.id === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    this.json(res, 200, {
      object: 'list',
      has_more: start + limit < all.length,
      data: page.map(({ html: _h, text: _t, tags: _g, headers: _x, ...e }) => e),
    }, headers);
  }
}
