import type { EmailEvent } from '../../sync/dataset.ts';
import { bounceTypeOf, eventRank } from '../../sync/email-events.ts';
import type { CellUpdate, WritableSource } from '../../sync/sources/source.ts';
import { EmailError } from '../errors.ts';
import { SEND_LOG_TAB } from '../send/send-log.ts';
import { EmailEventColumns, type EmailEventRows } from '../../sync/email-event-rows.ts';

/**
 * The sync side of the webhook receiver (emails/webhooks/worker.js): pulls the events the Worker
 * kept since the last acknowledged cursor, applies them to email_events in one write, then
 * acknowledges. The Worker keeps every event until acknowledged, so a sheet that is busy (or a
 * run killed between the write and the ack) loses nothing; applying is idempotent (first time
 * wins, last_event only moves forward), so events read twice change nothing the second time.
 */

/** An event as GET /events returns it. */
export interface ReceivedEvent {
  seq: number;
  /** svix-id: one per event, the same on Resend's retries. */
  id: string;
  /** Resend's event type, e.g. email.opened. */
  type: string;
  /** Resend's message id: email_events.message_id. */
  email_id: string;
  occurred_at: string;
  detail: { bounce?: { type?: string; subType?: string; message?: string }; failed?: { reason?: string }; suppressed?: { type?: string; message?: string } } | null;
  received_at: string;
}

export interface Receiver {
  url: string;
  token: string;
}

export class WebhookReceiverError extends EmailError {}

/**
 * An event for a message the send log does not hold yet (the webhook often arrives before the send
 * run records the confirmation) is kept in the Worker this long; after that it is for a message
 * Tidings did not send (a test from Resend's dashboard, mail from another tool) and no longer
 * holds the cursor back.
 */
export const UNMATCHED_GRACE_DAYS = 7;

/** TIDINGS_WEBHOOK_URL (the Worker's address) and TIDINGS_WEBHOOK_TOKEN, when both are set. */
export function receiverFrom(env: NodeJS.ProcessEnv): Receiver | undefined {
  const url = env.TIDINGS_WEBHOOK_URL?.trim();
  const token = env.TIDINGS_WEBHOOK_TOKEN?.trim();
  return url && token ? { url: url.replace(/\/+$/, ''), token } : undefined;
}

async function call<T>(receiver: Receiver, path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${receiver.url}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${receiver.token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new WebhookReceiverError(`cannot reach the webhook receiver at ${receiver.url}: ${(error as Error).message}; check TIDINGS_WEBHOOK_URL`);
  }
  const text = await response.text();
  if (!response.ok) {
    const hint = response.status === 401 ? ': TIDINGS_WEBHOOK_TOKEN differs from the Worker\'s' : '';
    throw new WebhookReceiverError(`the webhook receiver answered ${response.status} ${text.slice(0, 200)}${hint}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new WebhookReceiverError(`the webhook receiver at ${receiver.url} did not answer JSON: is TIDINGS_WEBHOOK_URL the Worker's address?`);
  }
}

export interface ReceiverHealth {
  database: boolean;
  webhookSecret: boolean;
  /** When the newest kept event arrived, if any. */
  lastEventAt: string | null;
  /** The acknowledged cursor and the newest event's seq: the difference is waiting for sync. */
  cursor: number;
  latest: number;
}

/** For `tidings doctor`: the receiver is reachable, the token accepted, and what it has set up. Throws WebhookReceiverError otherwise. */
export async function checkReceiver(receiver: Receiver): Promise<ReceiverHealth> {
  return call<ReceiverHealth>(receiver, '/health');
}

/** Every event after the acknowledged cursor, oldest first; `start` is that cursor. */
export async function fetchEvents(receiver: Receiver, pageSize = 1000): Promise<{ start: number; events: ReceivedEvent[] }> {
  const events: ReceivedEvent[] = [];
  let start: number | undefined;
  let after: number | undefined;
  for (;;) {
    const page = await call<{ events: ReceivedEvent[]; next: number; more: boolean }>(receiver, `/events?limit=${pageSize}${after === undefined ? '' : `&after=${after}`}`);
    start ??= page.events.length > 0 ? page.events[0].seq - 1 : page.next;
    for (const e of page.events) events.push(e);
    if (!page.more) break;
    after = page.next;
  }
  return { start: start ?? 0, events };
}

export const acknowledge = (receiver: Receiver, cursor: number) =>
  call<{ cursor: number }>(receiver, '/ack', { method: 'POST', body: JSON.stringify({ cursor }) });

/** Resend's event types as email_events.last_event (email.received is inbound mail: not ours). */
const LAST_EVENT: Record<string, NonNullable<EmailEvent['last_event']>> = {
  'email.scheduled': 'scheduled', 'email.sent': 'sent', 'email.delivery_delayed': 'delivery_delayed', 'email.delivered': 'delivered',
  'email.opened': 'opened', 'email.clicked': 'clicked', 'email.bounced': 'bounced', 'email.complained': 'complained',
  'email.failed': 'failed', 'email.suppressed': 'suppressed',
};

export interface WebhookPlan {
  updates: CellUpdate[];
  /** Message ids whose row changes. */
  changed: string[];
  /** Events whose message is in the send log (applied, or already reflected there). */
  applied: number;
  /** Events for messages not in the send log, still within the grace period: kept for a later sync. */
  waiting: ReceivedEvent[];
  /** Events for messages not in the send log past the grace period: let go. */
  expired: number;
}

const earlier = (current: string | undefined, candidate: string) => (!current || Date.parse(candidate) < Date.parse(current) ? candidate : current);

/**
 * What the events change in email_events, as cell updates: last_event only where it moves forward
 * (sync/email-events.ts eventRank), bounce_type with it, opened_at and clicked_at the earliest
 * event time seen (a click is also an open), updated_at = now on every changed row.
 */
export function planWebhookUpdates(rows: EmailEventRows, events: readonly ReceivedEvent[], now: Date): WebhookPlan {
  // Only the rows the events name are held (the send log can be a million rows).
  const named = new Set(events.map((e) => e.email_id));
  const byId = new Map<string, EmailEvent>();
  for (const r of rows) if (named.has(r.message_id)) byId.set(r.message_id, r);
  const grace = now.getTime() - UNMATCHED_GRACE_DAYS * 86_400_000;
  const plan: WebhookPlan = { updates: [], changed: [], applied: 0, waiting: [], expired: 0 };
  const states = new Map<string, { -readonly [K in 'last_event' | 'bounce_type' | 'opened_at' | 'clicked_at']: EmailEvent[K] }>();
  // In the order they happened, so the outcome does not depend on the order they arrived in.
  const ordered = [...events].sort((a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.seq - b.seq);
  for (const event of ordered) {
    const row = byId.get(event.email_id);
    if (!row) {
      if (Date.parse(event.received_at) >= grace) plan.waiting.push(event);
      else plan.expired++;
      continue;
    }
    plan.applied++;
    const last = LAST_EVENT[event.type];
    if (!last) continue;
    const state = states.get(row.message_id) ?? { last_event: row.last_event, bounce_type: row.bounce_type, opened_at: row.opened_at, clicked_at: row.clicked_at };
    states.set(row.message_id, state);
    const next = { last_event: last, bounce_type: last === 'bounced' ? bounceTypeOf(event.detail?.bounce?.type) : undefined };
    if (eventRank(next) > eventRank(state)) Object.assign(state, next);
    if (last === 'opened' || last === 'clicked') state.opened_at = earlier(state.opened_at, event.occurred_at);
    if (last === 'clicked') state.clicked_at = earlier(state.clicked_at, event.occurred_at);
  }
  const stamp = now.toISOString();
  for (const [id, state] of states) {
    const row = byId.get(id)!;
    const cells: CellUpdate[] = [];
    for (const column of ['last_event', 'bounce_type', 'opened_at', 'clicked_at'] as const) {
      if (state[column] !== row[column]) cells.push({ id, column, value: state[column] ?? '' });
    }
    if (cells.length === 0) continue;
    plan.changed.push(id);
    for (const cell of cells) plan.updates.push(cell);
    plan.updates.push({ id, column: 'updated_at', value: stamp });
  }
  return plan;
}

export interface WebhookResult {
  received: number;
  applied: number;
  updated: number;
  waiting: number;
  expired: number;
  cursor: number;
  /** email_events with what was written (new rows where they changed), for later stages of this run (polling, send). */
  rows: EmailEventRows;
}

/**
 * Pulls, applies in one write, acknowledges. The cursor acknowledged stops just before the first
 * event still waiting for its send-log row (or whose row was deleted while we wrote), so that event
 * and everything after it is read again next time; re-applying the rest changes nothing.
 */
export async function pullWebhookEvents(rows: EmailEventRows, receiver: Receiver, source: WritableSource, now: Date): Promise<WebhookResult> {
  const { start, events } = await fetchEvents(receiver);
  const plan = planWebhookUpdates(rows, events, now);
  let held = plan.waiting.reduce((min, e) => Math.min(min, e.seq), Infinity);
  let after = rows;
  if (plan.updates.length > 0) {
    const written = await source.updateCells(SEND_LOG_TAB, 'message_id', plan.updates);
    const gone = new Set(written.refusedMissingId.map((u) => u.id));
    for (const e of events) if (gone.has(e.email_id)) held = Math.min(held, e.seq);
    after = withUpdates(rows, plan.updates, gone);
  }
  const last = events.length > 0 ? events[events.length - 1].seq : start;
  const cursor = held === Infinity ? last : held - 1;
  if (cursor > start) await acknowledge(receiver, cursor);
  return { received: events.length, applied: plan.applied, updated: plan.changed.length, waiting: plan.waiting.length, expired: plan.expired, cursor, rows: after };
}

/** The rows with the values written (the dataset itself is never changed): a new row for each one updated. */
function withUpdates(rows: EmailEventRows, updates: CellUpdate[], gone: Set<string>): EmailEventRows {
  const changes = new Map<string, Record<string, unknown>>();
  for (const u of updates) {
    if (gone.has(u.id)) continue;
    const change = changes.get(u.id) ?? {};
    change[u.column] = u.value === '' ? undefined : u.value;
    changes.set(u.id, change);
  }
  function* updated() {
    for (const row of rows) yield changes.has(row.message_id) ? ({ ...row, ...changes.get(row.message_id) } as EmailEvent) : row;
  }
  return EmailEventColumns.of(updated());
}
