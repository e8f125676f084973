import type { Resend } from 'resend';
import type { EmailEvent } from '../sync/dataset.ts';
import { eventRank } from '../sync/email-events.ts';
import type { Settings } from '../sync/schema/settings.ts';
import type { CellUpdate, WritableSource } from '../sync/sources/source.ts';
import { SEND_LOG_TAB } from './send/send-log.ts';
import type { Pacer } from './send/provider.ts';
import { ProviderError } from './send/provider.ts';
import type { EmailEventRows } from '../sync/email-event-rows.ts';

export const TRACKING_DAYS = 60;

/**
 * How long Resend keeps an email's data, by plan: 1 day free, 3 Pro, 7 Scale (resend.com/pricing).
 * Past it GET /emails/:id answers 404 and the list leaves it out, so polling cannot see it.
 */
export const RETENTION_DAYS = { free: 1, pro: 3, scale: 7 } as const;

/** The polling window: settings resend_retention_days, else the plan's retention, never past TRACKING_DAYS. */
export function pollingDays(settings: Pick<Settings, 'resend_plan' | 'resend_retention_days'>): number {
  return Math.min(TRACKING_DAYS, settings.resend_retention_days ?? RETENTION_DAYS[settings.resend_plan]);
}

/** Resend's ids are UUIDs; planned rows and batches recorded without ids are not asked about. */
const isResendId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

export interface TrackingResult {
  checked: number;
  updated: number;
  requests: number;
  /** Messages of the last TRACKING_DAYS that Resend no longer keeps: only webhooks can track them. */
  pastRetention: number;
  /** The key has sending access only (401 restricted_api_key): nothing could be read. */
  restricted: boolean;
}

type SdkError = { statusCode?: number | null; name?: string; message?: string } | null;
const isRestricted = (error: SdkError) => error?.name === 'restricted_api_key';

/**
 * Pulls the latest event of every message sent within the polling window (`days`, Resend's
 * retention) into email_events: last_event, opened_at and clicked_at (set the first time an open
 * or click is seen; a click is also an open), updated_at. Pages through emails.list (newest first)
 * until past the window, then asks emails.get for any send-log id the list did not show. One write
 * for all the changes. A sending-only key reads nothing and says so (restricted); any other
 * refusal is a ProviderError for the caller to report.
 */
export async function pullTracking(events: EmailEventRows, resend: Pick<Resend, 'emails'>, pacer: Pacer, source: WritableSource, now: Date, days = TRACKING_DAYS): Promise<TrackingResult> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const tracked = new Date(now.getTime() - TRACKING_DAYS * 86_400_000).toISOString();
  const rows: EmailEvent[] = [];
  let pastRetention = 0;
  for (const e of events) {
    if (!isResendId(e.message_id)) continue;
    const sent = e.sent_at ?? '';
    if (sent >= since) rows.push(e);
    else if (sent >= tracked) pastRetention++;
  }
  const wanted = new Map(rows.map((e) => [e.message_id, e]));
  const result: TrackingResult = { checked: wanted.size, updated: 0, requests: 0, pastRetention, restricted: false };
  if (wanted.size === 0) {
    // Nothing to poll yet, but one small read tells a sending-only key apart now, at the first sync
    // before the first send, rather than only once there is something to track.
    const { error } = await pacer.call('emails.list', () => resend.emails.list({ limit: 1 }));
    if (error && !isRestricted(error)) throw new ProviderError(`Resend refused emails.list: ${error.statusCode} ${error.name}: ${error.message ?? ''}`);
    return { ...result, restricted: isRestricted(error), requests: pacer.requests };
  }
  const latest = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const { data, error } = await pacer.call('emails.list', () => resend.emails.list(after ? { limit: 100, after } : { limit: 100 }));
    if (isRestricted(error)) return { ...result, restricted: true, requests: pacer.requests };
    if (!data) throw new ProviderError(`Resend refused emails.list: ${error?.statusCode} ${error?.name}: ${error?.message ?? ''}`);
    for (const e of data.data) if (wanted.has(e.id)) latest.set(e.id, e.last_event);
    const last = data.data.at(-1);
    if (!data.has_more || !last || last.created_at < since || latest.size === wanted.size) break;
    after = last.id;
  }
  for (const id of wanted.keys()) {
    if (latest.has(id)) continue;
    const { data, error } = await pacer.call('emails.get', () => resend.emails.get(id));
    // 404: Resend no longer keeps it (retention): nothing to learn, nothing wrong.
    if (data) latest.set(id, data.last_event);
    else if (error?.statusCode !== 404) throw new ProviderError(`Resend refused emails.get: ${error?.statusCode} ${error?.name}: ${error?.message ?? ''}`);
  }

  const stamp = now.toISOString();
  const updates: CellUpdate[] = [];
  for (const [id, event] of latest) {
    const row = wanted.get(id)!;
    const cells: CellUpdate[] = [];
    // Only forward (sync/email-events.ts): a complaint or hard bounce the webhooks recorded is never
    // turned back into `opened` by Resend's latest-event view.
    if (row.last_event !== event && eventRank({ last_event: event as EmailEvent['last_event'], bounce_type: undefined }) > eventRank(row)) cells.push({ id, column: 'last_event', value: event });
    const opened = event === 'opened' || event === 'clicked';
    if (opened && !row.opened_at) cells.push({ id, column: 'opened_at', value: stamp, onlyIfBlank: true });
    if (event === 'clicked' && !row.clicked_at) cells.push({ id, column: 'clicked_at', value: stamp, onlyIfBlank: true });
    if (cells.length === 0) continue;
    result.updated++;
    for (const cell of cells) updates.push(cell);
    updates.push({ id, column: 'updated_at', value: stamp });
  }
  if (updates.length > 0) await source.updateCells(SEND_LOG_TAB, 'message_id', updates);
  return { ...result, requests: pacer.requests };
}
