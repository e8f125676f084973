// Tidings' receiver for Resend's webhooks: a Cloudflare Worker with a D1 database bound as DB.
// One self-contained file with no imports, so it can be pasted into the Cloudflare dashboard's
// editor (README, Newsletters > Tracking). Settings (Worker > Settings > Variables and Secrets):
//   RESEND_WEBHOOK_SECRET  the endpoint's signing secret from Resend (whsec_...)
//   TIDINGS_WEBHOOK_TOKEN  a long random password that `tidings sync` sends to read the events
//
//   POST /resend                  Resend delivers an event here; kept once per svix-id
//   GET  /events?after=N&limit=M  the kept events after N, oldest first (bearer token)
//   POST /ack {"cursor": N}       sync has written everything up to N into the sheet (bearer token)
//   GET  /health                  what is configured, the last event's time (bearer token)
//
// Nothing here is personal data beyond Resend's message id: recipient, sender and subject are
// dropped on arrival. Events are deleted 90 days after they arrived.

/** Larger bodies are refused: Resend's email events are a few kilobytes. */
const MAX_BODY_BYTES = 256 * 1024;
/**
 * Svix's libraries reject a timestamp more than five minutes from now, past or future, against
 * replayed requests (docs.svix.com/receiving/verifying-payloads/why).
 */
const TOLERANCE_SECONDS = 5 * 60;
const RETENTION_DAYS = 90;
const MAX_PAGE = 1000;
const PRUNE_EVERY_MS = 3600_000;
const TEXT_LIMIT = 500;

// AUTOINCREMENT: a seq is never reused, even after pruning deletes the newest rows, so a
// consumer's cursor can never point past an event it has not seen (sqlite.org/autoinc.html).
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    svix_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    email_id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    detail TEXT,
    received_at INTEGER NOT NULL
  )`,
  'CREATE TABLE IF NOT EXISTS consumers (name TEXT PRIMARY KEY, cursor INTEGER NOT NULL)',
];

/** Per isolate: the schema is created once, old events pruned at most hourly. */
let schemaReady = false;
let lastPruned = 0;

/**
 * @typedef {{ prepare(sql: string): D1Statement, batch(statements: D1Statement[]): Promise<unknown[]> }} D1Database
 * @typedef {{ bind(...values: unknown[]): D1Statement, run(): Promise<{ meta: { changes: number } }>, first(): Promise<Record<string, unknown> | null>, all(): Promise<{ results: Record<string, unknown>[] }> }} D1Statement
 * @typedef {{ DB?: D1Database, RESEND_WEBHOOK_SECRET?: string, TIDINGS_WEBHOOK_TOKEN?: string }} Env
 */

export default {
  /**
   * @param {Request} request
   * @param {Env} env
   */
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === '/resend' && request.method === 'POST') return await receive(request, env);
      if (pathname === '/events' && request.method === 'GET') return await guarded(request, env, listEvents);
      if (pathname === '/ack' && request.method === 'POST') return await guarded(request, env, acknowledge);
      if (pathname === '/health' && request.method === 'GET') return await guarded(request, env, health);
      return json(404, { error: 'not found: Resend posts to /resend; tidings reads /events' });
    } catch (error) {
      // Resend retries a 5xx, so an event that hit a database hiccup is delivered again.
      console.error('tidings webhook receiver:', error instanceof Error ? error.message : String(error));
      return json(500, { error: 'the receiver failed; Resend will retry' });
    }
  },
};

/**
 * @param {Request} request
 * @param {Env} env
 */
async function receive(request, env) {
  if (!env.DB) return json(500, { error: 'no D1 database is bound as DB' });
  if (!env.RESEND_WEBHOOK_SECRET) return json(500, { error: 'RESEND_WEBHOOK_SECRET is not set' });
  const body = await readLimited(request);
  if (body === undefined) return json(413, { error: 'body too large' });

  const id = request.headers.get('svix-id');
  const timestamp = request.headers.get('svix-timestamp');
  const signature = request.headers.get('svix-signature');
  if (!id || !timestamp || !signature) return json(401, { error: 'missing svix-id, svix-timestamp or svix-signature' });
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    return json(401, { error: 'timestamp outside the five-minute window' });
  }
  if (!(await signatureMatches(env.RESEND_WEBHOOK_SECRET, id, timestamp, body, signature))) return json(401, { error: 'bad signature' });

  const event = parseEvent(body);
  if (typeof event === 'string') return json(400, { error: event });
  if (!event) return json(200, { stored: false, reason: 'not an email event' });

  await ensureSchema(env.DB);
  const now = Date.now();
  const { meta } = await env.DB
    .prepare('INSERT OR IGNORE INTO events (svix_id, type, email_id, occurred_at, detail, received_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(id.slice(0, 200), event.type, event.emailId, event.occurredAt, event.detail, now)
    .run();
  if (now - lastPruned > PRUNE_EVERY_MS) {
    lastPruned = now;
    await env.DB.prepare('DELETE FROM events WHERE received_at < ?').bind(now - RETENTION_DAYS * 86_400_000).run();
  }
  return json(200, { stored: meta.changes > 0 });
}

/**
 * The body as text, or undefined past MAX_BODY_BYTES: read in chunks, so a body sent without a
 * Content-Length (chunked) is cut off there rather than read whole.
 * @param {Request} request
 */
async function readLimited(request) {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * Svix's scheme (docs.svix.com/receiving/verifying-payloads/how-manual, which Resend uses:
 * resend.com/docs/webhooks/verify-webhooks-requests): the key is the base64 after `whsec_`;
 * the signature is base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`; the header lists
 * space-separated `v1,<signature>` entries, any one of which may match (secret rotation).
 * @param {string} secret
 * @param {string} id
 * @param {string} timestamp
 * @param {string} body
 * @param {string} header
 */
async function signatureMatches(secret, id, timestamp, body, header) {
  const keyBytes = decodeBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  if (!keyBytes) return false;
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
  let matched = false;
  for (const entry of header.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    const given = decodeBase64(value);
    if (given && given.byteLength === expected.byteLength && sameBytes(given, expected)) matched = true;
  }
  return matched;
}

/**
 * Resend's email events (resend.com/docs/webhooks/emails/*, and WebhookEventPayload in
 * resend-node's src/webhooks): { type, created_at, data: { email_id, to, from, subject, ...,
 * bounce?: { type, subType, message }, click?: { timestamp, link, ... }, failed?: { reason },
 * suppressed?: { type, message } } }. Kept: type, email_id, when, and the bounce, failure or
 * suppression details. A string is the reason the body was refused.
 * @param {string} body
 * @returns {string | undefined | { type: string, emailId: string, occurredAt: string, detail: string | null }}
 */
function parseEvent(body) {
  /** @type {any} */
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (!parsed || typeof parsed !== 'object' || typeof parsed.type !== 'string') return 'not a Resend event: no type';
  if (!parsed.type.startsWith('email.')) return undefined;
  const data = parsed.data;
  if (!data || typeof data !== 'object' || typeof data.email_id !== 'string' || !data.email_id || data.email_id.length > 100) {
    return 'an email event without data.email_id';
  }
  // A click carries its own time; every other event's time is the envelope's created_at.
  const when = typeof data.click?.timestamp === 'string' ? data.click.timestamp : parsed.created_at;
  if (typeof when !== 'string' || Number.isNaN(Date.parse(when))) return 'an email event without a valid created_at';
  /** @type {Record<string, Record<string, string>>} */
  const detail = {};
  for (const part of ['bounce', 'failed', 'suppressed']) {
    const value = data[part];
    if (!value || typeof value !== 'object') continue;
    /** @type {Record<string, string>} */
    const kept = {};
    for (const field of ['type', 'subType', 'message', 'reason']) {
      if (typeof value[field] === 'string') kept[field] = value[field].slice(0, TEXT_LIMIT);
    }
    detail[part] = kept;
  }
  return {
    type: parsed.type.slice(0, 60),
    emailId: data.email_id,
    occurredAt: new Date(when).toISOString(),
    detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
  };
}

/**
 * The read side needs TIDINGS_WEBHOOK_TOKEN as a bearer token.
 * @param {Request} request
 * @param {Env} env
 * @param {(request: Request, db: D1Database | undefined, env: Env) => Promise<Response>} handler
 */
async function guarded(request, env, handler) {
  if (!env.TIDINGS_WEBHOOK_TOKEN) return json(503, { error: 'TIDINGS_WEBHOOK_TOKEN is not set on the Worker' });
  const given = (request.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
  if (!(await sameText(given, env.TIDINGS_WEBHOOK_TOKEN))) return json(401, { error: 'wrong or missing token' });
  return handler(request, env.DB, env);
}

/**
 * @param {Request} request
 * @param {D1Database | undefined} db
 */
async function listEvents(request, db) {
  if (!db) return json(500, { error: 'no D1 database is bound as DB' });
  await ensureSchema(db);
  const params = new URL(request.url).searchParams;
  const limit = Math.min(MAX_PAGE, Math.max(1, Number(params.get('limit')) || MAX_PAGE));
  const afterParam = params.get('after');
  let after;
  if (afterParam === null || afterParam === '') {
    const row = await db.prepare("SELECT cursor FROM consumers WHERE name = 'sync'").first();
    after = Number(row?.cursor ?? 0);
  } else if (/^\d{1,15}$/.test(afterParam)) after = Number(afterParam);
  else return json(400, { error: 'after must be a whole number' });
  const { results } = await db
    .prepare('SELECT seq, svix_id, type, email_id, occurred_at, detail, received_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
    .bind(after, limit + 1)
    .all();
  const page = results.slice(0, limit).map((r) => ({
    seq: r.seq, id: r.svix_id, type: r.type, email_id: r.email_id, occurred_at: r.occurred_at,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : null, received_at: new Date(Number(r.received_at)).toISOString(),
  }));
  return json(200, { events: page, next: page.length > 0 ? page[page.length - 1].seq : after, more: results.length > limit });
}

/**
 * Moves the sync's cursor forward (never back: a late, lower ack changes nothing).
 * @param {Request} request
 * @param {D1Database | undefined} db
 */
async function acknowledge(request, db) {
  if (!db) return json(500, { error: 'no D1 database is bound as DB' });
  await ensureSchema(db);
  /** @type {any} */
  let body;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return json(400, { error: 'the body is not JSON' });
  }
  const cursor = body?.cursor;
  if (!Number.isSafeInteger(cursor) || cursor < 0) return json(400, { error: 'cursor must be a whole number' });
  await db
    .prepare("INSERT INTO consumers (name, cursor) VALUES ('sync', ?) ON CONFLICT (name) DO UPDATE SET cursor = MAX(cursor, excluded.cursor)")
    .bind(cursor)
    .run();
  const row = await db.prepare("SELECT cursor FROM consumers WHERE name = 'sync'").first();
  return json(200, { cursor: Number(row?.cursor ?? 0) });
}

/**
 * @param {Request} _request
 * @param {D1Database | undefined} db
 * @param {Env} env
 */
async function health(_request, db, env) {
  const answer = { database: Boolean(db), webhookSecret: Boolean(env.RESEND_WEBHOOK_SECRET), lastEventAt: /** @type {string | null} */ (null), cursor: 0, latest: 0 };
  if (db) {
    await ensureSchema(db);
    const last = await db.prepare('SELECT seq, received_at FROM events ORDER BY seq DESC LIMIT 1').first();
    const consumer = await db.prepare("SELECT cursor FROM consumers WHERE name = 'sync'").first();
    if (last) {
      answer.lastEventAt = new Date(Number(last.received_at)).toISOString();
      answer.latest = Number(last.seq);
    }
    answer.cursor = Number(consumer?.cursor ?? 0);
  }
  return json(200, answer);
}

/** @param {D1Database} db */
async function ensureSchema(db) {
  if (schemaReady) return;
  await db.batch(SCHEMA.map((sql) => db.prepare(sql)));
  schemaReady = true;
}

/**
 * Constant-time comparison of two texts of any length: their SHA-256 digests are compared with
 * Cloudflare's crypto.subtle.timingSafeEqual, which needs equal lengths
 * (developers.cloudflare.com/workers/examples/protect-against-timing-attacks/).
 * @param {string} a
 * @param {string} b
 */
async function sameText(a, b) {
  const encoder = new TextEncoder();
  const [x, y] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(a)), crypto.subtle.digest('SHA-256', encoder.encode(b))]);
  return sameBytes(new Uint8Array(x), new Uint8Array(y));
}

/**
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 */
function sameBytes(a, b) {
  // @ts-ignore timingSafeEqual is Cloudflare's extension of SubtleCrypto
  return crypto.subtle.timingSafeEqual(a, b);
}

/** @param {string} text */
function decodeBase64(text) {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * @param {number} status
 * @param {unknown} body
 */
function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
