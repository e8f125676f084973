import type { Contact, Dataset, Mailing } from '../../sync/dataset.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import { type Audience, type SegmentEvaluator, audienceOf } from '../audience.ts';
import {
  type Confirmation, KEY_WINDOW_MS, SEND_LOG_TAB, SendLogError, type PlannedBatch, sendLogState, makePlan, recordConfirmations, recordPlan,
} from './send-log.ts';
import { buildMessages } from './message.ts';
import { Progress } from './progress.ts';
import { type BatchOutcome, type BatchSender, ProviderError, type Quota, type QuotaStop, resumeAfter } from './provider.ts';

export interface LiveOptions {
  evaluateSegment: SegmentEvaluator;
  secret: string;
  source: WritableSource;
  sender: BatchSender;
  batchSize?: number;
  /** Flush confirmations after this many batches or this long, whichever comes first. */
  flushEveryBatches?: number;
  flushEveryMs?: number;
  now?: () => Date;
  progress?: (total: number) => Pick<Progress, 'advance'>;
}

export interface LiveSummary {
  mailing_id: string;
  audience?: Audience;
  alreadySent: number;
  planned: number;
  sentNow: number;
  resumedBatches: number;
  batches: number;
  requests: number;
  sendLogWrites: number;
  /** Audience recipients not sent yet after this run (a quota stop leaves some for the next run). */
  left: number;
  /** Set when Resend's quota stopped the send: the mailing stays `sending` and the next run goes on. */
  quotaStop?: QuotaStop;
}

const MAILINGS = 'mailings';

/**
 * Sends one mailing exactly once per recipient, however often it is started (see send-log.ts):
 * resume any planned batches → plan the rest of the audience (only what the quota allows, when
 * Resend says) → record the plan (one write) → status sending → batches with fixed keys →
 * confirmations flushed every few batches → status sent once nobody is left.
 *
 * Batches Resend refused (a quota, a validation error) never went out, so their planned rows are
 * removed and the next run plans those recipients again; only batches that may have been accepted
 * (no answer, 5xx, killed mid-request) stay pending, to be replayed under their key. A quota stop
 * ends the run cleanly with the mailing still `sending`; any other refusal stops it with an error.
 */
export async function sendLive(dataset: Dataset, asOf: string, mailing: Mailing, options: LiveOptions): Promise<LiveSummary> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 100;
  const state = sendLogState(dataset.email_events, mailing.mailing_id);
  const summary: LiveSummary = {
    mailing_id: mailing.mailing_id, alreadySent: state.sentContacts.size, planned: 0, sentNow: 0,
    resumedBatches: state.pending.length, batches: 0, requests: 0, sendLogWrites: 0, left: 0,
  };
  const write = async (what: () => Promise<unknown>) => {
    await what();
    summary.sendLogWrites++;
  };
  let status = mailing.status;
  const markSending = async () => {
    if (status === 'sending') return;
    await write(() => options.source.updateCells(MAILINGS, 'mailing_id', [{ id: mailing.mailing_id, column: 'status', value: 'sending' }]));
    status = 'sending';
  };

  const stale = state.pending.find((b) => !b.plannedAt || now().getTime() - Date.parse(b.plannedAt) > KEY_WINDOW_MS);
  if (stale) {
    throw new SendLogError(
      `email_events: batch ${stale.number} of ${mailing.mailing_id} was planned at ${stale.plannedAt || '(unknown)'} and never confirmed; Resend only remembers its idempotency key for 24 hours, so whether it went out cannot be proven. Check the Resend dashboard (Emails, filter by subject): delete the pending:${mailing.mailing_id}:${stale.number}:… rows of the batches that did not go out, replace the others' message_id with the ids shown there, then run again`,
    );
  }

  // Rebuild each planned recipient as planned (same address), so a replayed batch is the same request.
  const contacts = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  const sentThisRun = new Set<string>();
  let progress: Pick<Progress, 'advance'> | undefined;
  let buffered: Confirmation[] = [];
  let lastFlush = Date.now();
  const flush = async () => {
    if (buffered.length === 0) return;
    const confirmations = buffered;
    await write(() => recordConfirmations(options.source, confirmations));
    buffered = [];
    lastFlush = Date.now();
  };

  /** Sends a plan's batches in order; at a refusal, that batch and the rest are unplanned (they never went out). */
  const sendPlan = async (plan: PlannedBatch[]): Promise<Extract<BatchOutcome, { kind: 'quota' | 'refused' }> | undefined> => {
    for (let i = 0; i < plan.length; i++) {
      const batch = plan[i];
      const recipients: Contact[] = batch.recipients.map((r) => ({ ...(contacts.get(r.contact_id) ?? ({ contact_id: r.contact_id, row: 0 } as Contact)), email: r.email }));
      const messages = await buildMessages(dataset, asOf, mailing, recipients, { secret: options.secret });
      const outcome = await options.sender.send(messages, batch.key);
      if (outcome.kind === 'quota' || outcome.kind === 'refused') {
        await flush();
        const unsent = plan.slice(i).flatMap((b) => b.recipients.map((r) => r.pendingId));
        await write(() => options.source.deleteRows(SEND_LOG_TAB, 'message_id', unsent));
        return outcome;
      }
      const messageIds = outcome.kind === 'accepted' ? outcome.ids : batch.recipients.map((r) => r.pendingId.replace(/^pending:/, 'accepted-earlier:'));
      buffered.push({ batch, messageIds, sentAt: now().toISOString() });
      for (const r of batch.recipients) sentThisRun.add(r.contact_id);
      summary.batches++;
      summary.sentNow += batch.recipients.length;
      progress?.advance(batch.recipients.length);
      if (buffered.length >= (options.flushEveryBatches ?? 10) || Date.now() - lastFlush >= (options.flushEveryMs ?? 20_000)) await flush();
    }
    await flush();
    return undefined;
  };

  let stop: Awaited<ReturnType<typeof sendPlan>>;
  let quota: Quota | undefined;
  if (state.pending.length > 0) {
    const resumed = state.pending.reduce((n, b) => n + b.recipients.length, 0);
    summary.planned += resumed;
    progress = options.progress?.(resumed) ?? new Progress(`resuming ${mailing.mailing_id}`, resumed);
    await markSending();
    stop = await sendPlan(state.pending);
  }
  // Everyone in the audience the send log does not show as sent, nor this run sent.
  const audience = audienceOf(dataset, asOf, mailing, options);
  summary.audience = audience;
  const notSent = () => audience.recipients.filter((c) => !state.sentContacts.has(c.contact_id) && !sentThisRun.has(c.contact_id) && !state.sentEmails.has(c.email!.trim().toLowerCase()));
  if (!stop) {
    const todo = notSent();
    quota = todo.length > 0 ? await options.sender.quota() : undefined;
    const fits = quota ? todo.slice(0, quota.remaining) : todo;
    const plan = makePlan(mailing.mailing_id, fits.map((c) => ({ contact_id: c.contact_id, email: c.email! })), batchSize, now().toISOString());
    if (plan.length > 0) {
      await write(() => recordPlan(options.source, mailing.mailing_id, plan));
      await markSending();
      summary.planned += fits.length;
      progress = options.progress?.(fits.length) ?? new Progress(`sending ${mailing.mailing_id}`, fits.length);
      stop = await sendPlan(plan);
    }
  }
  summary.left = notSent().length;
  summary.requests = options.sender.requests;
  if (stop?.kind === 'refused') {
    throw new ProviderError(`${stop.message}. Nothing of that batch went out; its planned rows were removed, so the next run plans those recipients again. Fix what Resend names, then run again`);
  }
  if (stop?.kind === 'quota') {
    summary.quotaStop = { quota: stop.quota, resumeAfter: resumeAfter(stop.quota, now()) };
  } else if (quota && summary.left > 0) {
    // The plan was cut to the quota Resend reported: the rest goes on the next run.
    summary.quotaStop = { quota: quota.quota, resumeAfter: resumeAfter(quota.quota, now(), quota.resetsAt) };
    await markSending();
  } else if (summary.left === 0 && mailing.status !== 'sent') {
    const sentAt = now().toISOString();
    await write(() =>
      options.source.updateCells(MAILINGS, 'mailing_id', [
        { id: mailing.mailing_id, column: 'status', value: 'sent' },
        { id: mailing.mailing_id, column: 'sent_at', value: sentAt },
      ]),
    );
  }
  return summary;
}

export function formatLiveSummary(s: LiveSummary): string {
  const stop = s.quotaStop;
  return [
    `${s.mailing_id}: sent ${s.sentNow} now in ${s.batches} batches (${s.requests} requests)`,
    s.alreadySent ? `  already sent earlier (skipped): ${s.alreadySent}` : '',
    s.resumedBatches ? `  resumed ${s.resumedBatches} planned batches from an earlier run (same idempotency keys)` : '',
    stop
      ? `  stopped at Resend's ${stop.quota} quota: ${s.left} recipients left, none sent twice; the mailing stays "sending" and the next run after ${stop.resumeAfter} goes on (a larger plan sends more a day: see README Newsletters, Quotas)`
      : '',
    `  send log writes: ${s.sendLogWrites}`,
  ].filter(Boolean).join('\n');
}
