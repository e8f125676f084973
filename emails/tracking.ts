import type { Resend } from 'resend';
import type { EmailEvent } from '../sync/dataset.ts';
import type { CellUpdate, WritableSource } from '../sync/sources/source.ts';
import { LEDGER_TAB } from './send/ledger.ts';
import type { Pacer } from './send/provider.ts';
import { ProviderError } from './send/provider.ts';

export const TRACKING_DAYS = 60;

/** Resend's ids are UUIDs; planned rows and batches recorded without ids are not asked about. */
const isResendId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

export interface TrackingResult {
  checked: number;
  updated: number;
  requests: number;
}

/**
 * Pulls the latest event of every message sent in the last 60 days into email_events:
 * last_event, opened_at and clicked_at (set the first time an open or click is seen; a click is
 * also an open), updated_at. Pages through emails.list (newest first) until past the window, then
 * asks emails.get for any ledger id the list did not show. One write for all the changes.
 */
export async function pullTracking(events: EmailEvent[], resend: Pick<Resend, 'emails'>, pacer: Pacer, source: WritableSource, now: Date): Promise<TrackingResult> {
  const since = new Date(now.getTime() - TRACKING_DAYS * 86_400_000).toISOString();
  const rows = events.filter((e) => isResendId(e.message_id) && (e.sent_at ?? '') >= since);
  const wanted = new Map(rows.map((e) => [e.message_id, e]));
  const latest = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const { data, error } = await pacer.call('emails.list', () => resend.emails.list(after ? { limit: 100, after } : { limit: 100 }));
    if (!data) throw new ProviderError(`Resend refused emails.list: ${error?.statusCode} ${error?.message ?? ''}`);
    for (const e of data.data) if (wanted.has(e.id)) latest.set(e.id, e.last_event);
    const last = data.data.at(-1);
    if (!data.has_more || !last || last.created_at < since || latest.size === wanted.size) break;
    after = last.id;
  }
  for (const id of wanted.keys()) {
    if (latest.has(id)) continue;
    const { data } = await pacer.call('emails.get', () => resend.emails.get(id));
    if (data) latest.set(id, data.last_event);
  }

  const stamp = now.toISOString();
  const updates: CellUpdate[] = [];
  let updated = 0;
  for (const [id, event] of latest) {
    const row = wanted.get(id)!;
    const cells: CellUpdate[] = [];
    if (row.last_event !== event) cells.push({ id, column: 'last_event', value: event });
    const opened = event === 'opened' || event === 'clicked';
    if (opened && !row.opened_at) cells.push({ id, column: 'opened_at', value: stamp, onlyIfBlank: true });
    if (event === 'clicked' && !row.clicked_at) cells.push({ id, column: 'clicked_at', value: stamp, onlyIfBlank: true });
    if (cells.length === 0) continue;
    updated++;
    for (const cell of cells) updates.push(cell);
    updates.push({ id, column: 'updated_at', value: stamp });
  }
  if (updates.length > 0) await source.updateCells(LEDGER_TAB, 'message_id', updates);
  return { checked: wanted.size, updated, requests: pacer.requests };
}
