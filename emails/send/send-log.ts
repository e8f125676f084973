import { EmailError } from '../errors.ts';
import { createHash } from 'node:crypto';
import type { EmailEvent } from '../../sync/dataset.ts';
import type { CellUpdate, WritableSource } from '../../sync/sources/source.ts';
import type { EmailEventRows } from '../../sync/email-event-rows.ts';

/**
 * The send log is the email_events tab (email_events.csv for a CSV source): it lives with the
 * data, so a fresh Action runner finds it. A mailing's rows go through two states:
 *
 *   planned   message_id = pending:<mailing>:<batch>:<index>, updated_at = when planned
 *   sent      message_id = Resend's id, sent_at, last_event = sent
 *
 * The whole plan (every recipient, its batch and position) is appended in ONE write before the
 * first batch goes out; that is the intent record. Each batch's idempotency key is derived from
 * the mailing, the batch number and the batch's recipients, so a re-run rebuilds exactly the
 * same batches with exactly the same keys from the pending rows. Resend keeps a key for 24 hours
 * and answers a repeated key with the first answer (same ids, nothing sent again), so a batch that
 * was accepted but never recorded (killed mid-request, or before a flush) is replayed, not re-sent.
 * That is why the send log need not be written after every batch: confirmations are flushed every
 * few batches (one write each, whole batches only), keeping well under the Sheets quota of 60
 * writes a minute, and a pending batch older than the key window is never re-sent blindly.
 */
export const SEND_LOG_TAB = 'email_events';
export const SEND_LOG_COLUMNS = ['message_id', 'mailing_id', 'contact_id', 'email', 'sent_at', 'last_event', 'opened_at', 'clicked_at', 'updated_at'];

/** Resend keeps idempotency keys 24 h; past 23 h a pending batch's fate cannot be proven. */
export const KEY_WINDOW_MS = 23 * 3600_000;

const PENDING = 'pending:';
export const isPending = (messageId: string) => messageId.startsWith(PENDING);

export interface PlannedRecipient {
  pendingId: string;
  contact_id: string;
  email: string;
}

export interface PlannedBatch {
  number: number;
  key: string;
  recipients: PlannedRecipient[];
  plannedAt: string;
}

/**
 * The mailing id as it goes into a key: an HTTP header carries bytes, not text, so an id such as
 * 2026年6月電子報 is percent-encoded (plain ASCII ids stay as they are, so their keys never change);
 * one too long for Resend's 256-character key is replaced by its hash. The same id always gives
 * the same part, so a re-run rebuilds the same keys.
 */
function keyPart(mailingId: string): string {
  const encoded = /^[\w.~:@!$&'()*+,;=/-]+$/.test(mailingId) ? mailingId : encodeURIComponent(mailingId);
  return encoded.length <= 160 ? encoded : `sha256-${createHash('sha256').update(mailingId).digest('hex').slice(0, 40)}`;
}

export function idempotencyKey(mailingId: string, number: number, recipients: Pick<PlannedRecipient, 'contact_id' | 'email'>[]): string {
  const digest = createHash('sha256');
  for (const r of recipients) digest.update(`${r.contact_id}\0${r.email}\n`);
  return `tidings/${keyPart(mailingId)}/${number}/${digest.digest('hex').slice(0, 32)}`;
}

/** Recipients cut into numbered batches, in the order given (contact_id order: deterministic). */
export function makePlan(mailingId: string, recipients: { contact_id: string; email: string }[], batchSize: number, plannedAt: string): PlannedBatch[] {
  const batches: PlannedBatch[] = [];
  for (let i = 0; i < recipients.length; i += batchSize) {
    const number = batches.length + 1;
    const slice = recipients.slice(i, i + batchSize).map((r, j) => ({ ...r, pendingId: `${PENDING}${mailingId}:${number}:${j + 1}` }));
    batches.push({ number, key: idempotencyKey(mailingId, number, slice), recipients: slice, plannedAt });
  }
  return batches;
}

export interface SendLogState {
  /** Contacts (and addresses) this mailing has already reached. */
  sentContacts: Set<string>;
  sentEmails: Set<string>;
  /** Batches planned but not yet confirmed, in order. */
  pending: PlannedBatch[];
}

/** A mailing's send log as the source holds it now: who has it, and which planned batches are unconfirmed. */
export function sendLogState(events: EmailEventRows, mailingId: string): SendLogState {
  const state: SendLogState = { sentContacts: new Set(), sentEmails: new Set(), pending: [] };
  const batches = new Map<number, { rows: { index: number; r: PlannedRecipient }[]; plannedAt: string }>();
  for (const e of events) {
    if (e.mailing_id !== mailingId) continue;
    if (!isPending(e.message_id)) {
      if (e.contact_id) state.sentContacts.add(e.contact_id);
      if (e.email) state.sentEmails.add(e.email.trim().toLowerCase());
      continue;
    }
    const [number, index] = e.message_id.slice(PENDING.length + mailingId.length + 1).split(':').map(Number);
    const batch = batches.get(number) ?? { rows: [], plannedAt: e.updated_at ?? '' };
    batch.rows.push({ index, r: { pendingId: e.message_id, contact_id: e.contact_id ?? '', email: e.email ?? '' } });
    batches.set(number, batch);
  }
  for (const [number, batch] of [...batches].sort((a, b) => a[0] - b[0])) {
    const recipients = batch.rows.sort((a, b) => a.index - b.index).map((x) => x.r);
    state.pending.push({ number, key: idempotencyKey(mailingId, number, recipients), recipients, plannedAt: batch.plannedAt });
  }
  return state;
}

/** The intent record: every planned recipient, appended in one write. */
export async function recordPlan(source: WritableSource, mailingId: string, plan: PlannedBatch[]): Promise<void> {
  await source.appendRows(SEND_LOG_TAB, SEND_LOG_COLUMNS, planRows(mailingId, plan));
}

/** The send-log rows of a plan (several mailings' plans can then go in one write). */
export function planRows(mailingId: string, plan: PlannedBatch[]) {
  return plan.flatMap((b) => b.recipients.map((r) => ({ message_id: r.pendingId, mailing_id: mailingId, contact_id: r.contact_id, email: r.email, updated_at: b.plannedAt })));
}

export interface Confirmation {
  batch: PlannedBatch;
  messageIds: string[];
  sentAt: string;
}

/** Confirmed batches in one write: each pending row gets its message id, sent_at and last_event. */
export async function recordConfirmations(source: WritableSource, confirmations: Confirmation[]): Promise<void> {
  const updates: CellUpdate[] = confirmations.flatMap((c) =>
    c.batch.recipients.flatMap((r, i) => [
      { id: r.pendingId, column: 'sent_at', value: c.sentAt },
      { id: r.pendingId, column: 'last_event', value: 'sent' },
      { id: r.pendingId, column: 'updated_at', value: c.sentAt },
      // The id column last: the row is found by its pending id, then takes its real one.
      { id: r.pendingId, column: 'message_id', value: c.messageIds[i] },
    ]),
  );
  if (updates.length === 0) return;
  const result = await source.updateCells(SEND_LOG_TAB, 'message_id', updates);
  if (result.refusedMissingId.length > 0) {
    throw new SendLogError(`email_events: ${result.refusedMissingId.length} planned rows were not found (deleted while sending?); their messages were sent: do not edit email_events during a send`);
  }
}

export class SendLogError extends EmailError {}
