import { createHash } from 'node:crypto';
import type { Delivery } from '../../reports/receipts/delivery.ts';
import type { WrittenPdf } from '../../reports/receipts/write.ts';
import type { Dataset, EmailEvent } from '../../sync/dataset.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import {
  type Confirmation, KEY_WINDOW_MS, SEND_LOG_COLUMNS, SEND_LOG_TAB, SendLogError, type PlannedBatch, isPending, sendLogState, makePlan,
  planRows, recordConfirmations,
} from '../send/send-log.ts';
import { MessageError, type OutgoingMessage } from '../send/message.ts';
import { type BatchSender, ProviderError, type QuotaStop, resumeAfter } from '../send/provider.ts';
import { renderReceiptEmail } from './ReceiptEmail.tsx';
import type { EmailEventRows } from '../../sync/email-event-rows.ts';

/**
 * Receipts go out through the newsletters' machinery: the same dry-run outbox, the same Resend
 * client and pacing, the same email_events send log. Each message is its own entry in the send log,
 * under mailing_id = its stable id (receipt:<no>[+<no>…] or summary:<year>:<contact_id>), so a
 * receipt number that went out once is never sent again, whatever --since a later run is given.
 * Messages carry PDFs, which Resend's batch endpoint cannot, so each is one request with its
 * own idempotency key.
 */
export interface ReceiptMessage {
  id: string;
  message: OutgoingMessage;
}

/** Send-log ids (mailing_id) of receipt and summary messages that went out. */
export function sentIds(events: EmailEventRows): Set<string> {
  const sent = new Set<string>();
  for (const e of events) if (e.mailing_id && /^(receipt|summary):/.test(e.mailing_id) && !isPending(e.message_id)) sent.add(e.mailing_id);
  return sent;
}

/** Receipt numbers already emailed, read from the sent receipt messages' ids. */
export const sentReceiptNumbers = (events: EmailEventRows): Set<string> =>
  new Set([...sentIds(events)].filter((id) => id.startsWith('receipt:')).flatMap((id) => id.slice('receipt:'.length).split('+')));

/** The email of every delivery that goes by email, rendered, with its own PDFs attached (the bytes made for it, not a file read back by name). */
export async function receiptMessages(deliveries: Delivery[], pdfs: Map<string, WrittenPdf[]>, dataset: Pick<Dataset, 'settings'>): Promise<ReceiptMessage[]> {
  const emailed = deliveries.filter((d) => d.route === 'email');
  const { email_from: from, email_reply_to: replyTo } = dataset.settings;
  if (emailed.length > 0 && !from) throw new MessageError('settings: email_from is blank: set it to the verified sender, e.g. 小小基金會 <receipts@example.org> (the PDFs are written; no email was prepared)');
  const messages: ReceiptMessage[] = [];
  for (const delivery of emailed) {
    const rendered = await renderReceiptEmail(delivery, dataset);
    const attachments = pdfs.get(delivery.id)!.map((pdf) => ({ filename: pdf.filename, content: pdf.content }));
    messages.push({
      id: delivery.id,
      message: {
        contact_id: delivery.contact.contact_id, from: from!, to: delivery.contact.email!, ...(replyTo ? { replyTo } : {}),
        subject: rendered.subject, html: rendered.html, text: rendered.text,
        // Transactional: no List-Unsubscribe (receipts are not a subscription).
        headers: {}, tags: [{ name: 'kind', value: delivery.kind }], attachments,
      },
    });
  }
  return messages;
}

export interface ReceiptSendSummary {
  sentNow: number;
  alreadySent: number;
  resumed: number;
  requests: number;
  /** Messages not sent this run (a quota stop): the next run sends them. */
  left: number;
  quotaStop?: QuotaStop;
}

export interface ReceiptSendOptions {
  source: WritableSource;
  sender: BatchSender;
  now?: () => Date;
  flushEvery?: number;
}

/** One key per message and address, short enough for Resend (256 characters) however many receipts it holds. */
const keyOf = (id: string, batch: PlannedBatch) =>
  `tidings/receipts/${createHash('sha256').update(`${id}\0${batch.recipients[0].contact_id}\0${batch.recipients[0].email}`).digest('hex').slice(0, 40)}`;

/**
 * Sends each message exactly once: every new message is planned in the send log (one write for
 * all), sent with a fixed idempotency key, and confirmed (flushed every few messages). A run that
 * stopped midway resumes its planned messages with the same keys, so Resend replays instead of
 * sending twice; a message already confirmed is skipped.
 */
export async function sendReceipts(events: EmailEventRows, messages: ReceiptMessage[], options: ReceiptSendOptions): Promise<ReceiptSendSummary> {
  const now = options.now ?? (() => new Date());
  const summary: ReceiptSendSummary = { sentNow: 0, alreadySent: 0, resumed: 0, requests: 0, left: 0 };
  const byId = new Map<string, EmailEvent[]>();
  for (const e of events) {
    if (!e.mailing_id) continue;
    const list = byId.get(e.mailing_id) ?? byId.set(e.mailing_id, []).get(e.mailing_id)!;
    list.push(e);
  }

  // Resumed messages first: they may have gone out already, and their replay must come before anything new.
  const resumed: { item: ReceiptMessage; batch: PlannedBatch }[] = [];
  const fresh: ReceiptMessage[] = [];
  for (const item of messages) {
    const state = sendLogState(byId.get(item.id) ?? [], item.id);
    if (state.sentContacts.size > 0) {
      summary.alreadySent++;
      continue;
    }
    const [batch] = state.pending;
    if (!batch) {
      fresh.push(item);
      continue;
    }
    if (!batch.plannedAt || now().getTime() - Date.parse(batch.plannedAt) > KEY_WINDOW_MS) {
      throw new SendLogError(`email_events: ${item.id} was planned at ${batch.plannedAt || '(unknown)'} and never confirmed; Resend only remembers its idempotency key for 24 hours, so whether it went out cannot be proven. Look it up in the Resend dashboard (Emails, to ${batch.recipients[0].email}): if it went out, replace its message_id ${batch.recipients[0].pendingId} with the id shown there; if not, delete that row; then run again`);
    }
    summary.resumed++;
    resumed.push({ item, batch });
  }
  // Plan only the new messages the quota allows, when Resend says what is left.
  const quota = fresh.length > 0 ? await options.sender.quota() : undefined;
  const fits = quota ? fresh.slice(0, Math.max(0, quota.remaining - resumed.length)) : fresh;
  const work = [...resumed];
  const planned: ReturnType<typeof planRows> = [];
  for (const item of fits) {
    const [batch] = makePlan(item.id, [{ contact_id: item.message.contact_id, email: item.message.to }], 1, now().toISOString());
    for (const row of planRows(item.id, [batch])) planned.push(row);
    work.push({ item, batch });
  }
  if (planned.length > 0) await options.source.appendRows(SEND_LOG_TAB, SEND_LOG_COLUMNS, planned);
  summary.left = fresh.length - fits.length;

  let buffered: Confirmation[] = [];
  const flush = async () => {
    if (buffered.length > 0) await recordConfirmations(options.source, buffered);
    buffered = [];
  };
  for (let i = 0; i < work.length; i++) {
    const { item, batch } = work[i];
    // A resumed message goes to the address it was planned for, so its replay is the same request.
    const outcome = await options.sender.sendOne({ ...item.message, to: batch.recipients[0].email }, keyOf(item.id, batch));
    if (outcome.kind === 'quota' || outcome.kind === 'refused') {
      // Resend took none of it: this message and the rest are unplanned, and the next run plans them again.
      await flush();
      const unsent = work.slice(i).map((w) => w.batch.recipients[0].pendingId);
      await options.source.deleteRows(SEND_LOG_TAB, 'message_id', unsent);
      summary.left += unsent.length;
      summary.requests = options.sender.requests;
      if (outcome.kind === 'refused') throw new ProviderError(`${outcome.message}. It was not sent; its planned row was removed, so the next run plans it again. Fix what Resend names, then run again`);
      summary.quotaStop = { quota: outcome.quota, resumeAfter: resumeAfter(outcome.quota, now()) };
      return summary;
    }
    const ids = outcome.kind === 'accepted' ? outcome.ids : [batch.recipients[0].pendingId.replace(/^pending:/, 'accepted-earlier:')];
    buffered.push({ batch, messageIds: ids, sentAt: now().toISOString() });
    summary.sentNow++;
    if (buffered.length >= (options.flushEvery ?? 10)) await flush();
  }
  await flush();
  summary.requests = options.sender.requests;
  if (quota && summary.left > 0) summary.quotaStop = { quota: quota.quota, resumeAfter: resumeAfter(quota.quota, now(), quota.resetsAt) };
  return summary;
}
