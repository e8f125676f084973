import type { Contact, Dataset, Mailing } from '../../sync/dataset.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import { type Audience, type SegmentEvaluator, audienceOf } from '../audience.ts';
import {
  type Confirmation, KEY_WINDOW_MS, LedgerError, ledgerState, makePlan, recordConfirmations, recordPlan,
} from './ledger.ts';
import { buildMessages } from './message.ts';
import { Progress } from './progress.ts';
import type { BatchSender } from './provider.ts';

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
  /** Set when this run planned the mailing (undefined when it resumed a plan). */
  audience?: Audience;
  alreadySent: number;
  planned: number;
  sentNow: number;
  resumedBatches: number;
  batches: number;
  requests: number;
  ledgerWrites: number;
}

const MAILINGS = 'mailings';

/**
 * Sends one mailing exactly once per recipient, however often it is started (see ledger.ts):
 * plan → record the plan (one write) → status sending → batches with fixed keys → confirmations
 * flushed every few batches → status sent.
 */
export async function sendLive(dataset: Dataset, asOf: string, mailing: Mailing, options: LiveOptions): Promise<LiveSummary> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 100;
  const state = ledgerState(dataset.email_events, mailing.mailing_id);
  const summary: LiveSummary = {
    mailing_id: mailing.mailing_id, alreadySent: state.sentContacts.size, planned: 0, sentNow: 0,
    resumedBatches: state.pending.length, batches: 0, requests: 0, ledgerWrites: 0,
  };
  const write = async (what: () => Promise<unknown>) => {
    await what();
    summary.ledgerWrites++;
  };

  let plan = state.pending;
  if (plan.length === 0) {
    const audience = audienceOf(dataset, asOf, mailing, options);
    summary.audience = audience;
    const todo = audience.recipients.filter((c) => !state.sentContacts.has(c.contact_id) && !state.sentEmails.has(c.email!.trim().toLowerCase()));
    plan = makePlan(mailing.mailing_id, todo.map((c) => ({ contact_id: c.contact_id, email: c.email! })), batchSize, now().toISOString());
    if (plan.length > 0) await write(() => recordPlan(options.source, mailing.mailing_id, plan));
  } else {
    const stale = plan.find((b) => !b.plannedAt || now().getTime() - Date.parse(b.plannedAt) > KEY_WINDOW_MS);
    if (stale) {
      throw new LedgerError(
        `email_events: batch ${stale.number} of ${mailing.mailing_id} was planned at ${stale.plannedAt || '(unknown)'} and never confirmed; Resend only remembers its idempotency key for 24 hours, so whether it went out cannot be proven. Check the Resend dashboard (Emails, filter by subject): delete the pending:${mailing.mailing_id}:${stale.number}:… rows of the batches that did not go out, replace the others' message_id with the ids shown there, then run again`,
      );
    }
  }
  summary.planned = plan.reduce((n, b) => n + b.recipients.length, 0);
  if (plan.length > 0 && mailing.status !== 'sending') {
    await write(() => options.source.updateCells(MAILINGS, 'mailing_id', [{ id: mailing.mailing_id, column: 'status', value: 'sending' }]));
  }

  // Rebuild each planned recipient as planned (same address), so a replayed batch is the same request.
  const contacts = new Map(dataset.contacts.map((c) => [c.contact_id, c]));
  const progress = options.progress?.(summary.planned) ?? new Progress(`sending ${mailing.mailing_id}`, summary.planned);
  let buffered: Confirmation[] = [];
  let lastFlush = Date.now();
  const flush = async () => {
    if (buffered.length === 0) return;
    const confirmations = buffered;
    await write(() => recordConfirmations(options.source, confirmations));
    buffered = [];
    lastFlush = Date.now();
  };

  for (const batch of plan) {
    const recipients: Contact[] = batch.recipients.map((r) => ({ ...(contacts.get(r.contact_id) ?? ({ contact_id: r.contact_id, row: 0 } as Contact)), email: r.email }));
    const messages = await buildMessages(dataset, asOf, mailing, recipients, { secret: options.secret });
    const outcome = await options.sender.send(messages, batch.key);
    const messageIds = outcome.kind === 'accepted' ? outcome.ids : batch.recipients.map((r) => r.pendingId.replace(/^pending:/, 'accepted-earlier:'));
    buffered.push({ batch, messageIds, sentAt: now().toISOString() });
    summary.batches++;
    summary.sentNow += batch.recipients.length;
    progress.advance(batch.recipients.length);
    if (buffered.length >= (options.flushEveryBatches ?? 10) || Date.now() - lastFlush >= (options.flushEveryMs ?? 20_000)) await flush();
  }
  await flush();
  summary.requests = options.sender.requests;
  if (mailing.status !== 'sent') {
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
  return [
    `${s.mailing_id}: sent ${s.sentNow} now in ${s.batches} batches (${s.requests} requests)`,
    s.alreadySent ? `  already sent earlier (skipped): ${s.alreadySent}` : '',
    s.resumedBatches ? `  resumed ${s.resumedBatches} planned batches from an earlier run (same idempotency keys)` : '',
    `  ledger writes: ${s.ledgerWrites}`,
  ].filter(Boolean).join('\n');
}
