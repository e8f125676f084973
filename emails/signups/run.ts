import { type Problem, rawText } from '../../sync/problems.ts';
import { tabColumns } from '../../sync/schema/tabs.ts';
import { type WritableSource, isWritable, normalizeName } from '../../sync/sources/source.ts';
import { rowIds } from '../../sync/sources/tab-edits.ts';
import { type Synced, locate } from '../../sync/load.ts';
import { EmailError } from '../errors.ts';
import { type ReceiptSendSummary, sendReceipts } from '../receipts/send.ts';
import type { OutgoingMessage } from '../send/message.ts';
import { renderConfirmationEmail } from './ConfirmationEmail.tsx';
import { PROGRESS_COLUMNS, type SignupCounts, type SignupPlan, sendLogId, planSignups } from './plan.ts';

export const SIGNUPS_TAB = 'signups';
/** The dry run's folder under <out>/private/outbox/. */
export const OUTBOX = 'signups';

const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * The key write-back finds a signups row by: every column but those sync writes, as the tab was
 * read (the form's answers; a Google Form response row has no id of its own). Returns the
 * column names and each row's id by spreadsheet row.
 */
export function signupKeys(synced: Pick<Synced, 'toolTabs'>): { columns: string[]; keys: Map<number, string> } {
  const raw = synced.toolTabs.get(SIGNUPS_TAB);
  if (!raw) return { columns: [], keys: new Map() };
  const progress = new Set<string>(PROGRESS_COLUMNS);
  const indexes: number[] = [];
  const columns: string[] = [];
  raw.header.forEach((h, i) => {
    const name = normalizeName(rawText(h));
    if (!name || progress.has(name) || columns.some((c) => normalizeName(c) === name)) return;
    indexes.push(i);
    columns.push(rawText(h));
  });
  const keys = new Map<number, string>();
  rowIds(raw, indexes).forEach((id, i) => {
    if (id) keys.set(i + 2, id);
  });
  return { columns, keys };
}

export interface SignupResult {
  counts: SignupCounts;
  problems: Problem[];
  /** What happened to the confirmation emails, in one line. */
  mailLine: string;
}

export interface SignupOptions {
  env: NodeJS.ProcessEnv;
  now: Date;
  /** Where a dry run writes its outbox; none: the emails wait for a run that has one. */
  out?: string;
}

/**
 * The sign-up step of sync (double opt-in): plans from the dataset (plan.ts), then writes in an
 * order a crash at any point can resume from (the pending contacts and consent first, the rows'
 * status next, emails last: a sign-up recorded as pending but not yet in the send log is
 * mailed by the next run, under the same idempotency key, so never twice), and sends the
 * confirmation emails through Resend, or into the outbox in a dry run (no RESEND_API_KEY).
 */
export async function applySignups(synced: Synced, secret: string, options: SignupOptions): Promise<SignupResult> {
  const { dataset, source } = synced;
  const { columns, keys } = signupKeys(synced);
  const plan = planSignups({ dataset, keys, secret, now: options.now });
  const problems = plan.problems.map((p) => locate(synced, p));
  if (!isWritable(source)) return { counts: plan.counts, problems, mailLine: 'the source cannot be written to, so nothing was recorded or mailed' };
  await record(source, plan, columns);
  try {
    const mailLine = await mail(synced, source, plan, secret, options);
    return { counts: plan.counts, problems, mailLine };
  } catch (error) {
    // Mail troubles never stop sync: what was recorded stands, and the next run sends what is left.
    if (!(error instanceof EmailError)) throw error;
    return { counts: plan.counts, problems, mailLine: `not sent this time (${error.message}); the next sync tries again` };
  }
}

async function record(source: WritableSource, plan: SignupPlan, columns: string[]): Promise<void> {
  if (plan.newContacts.length > 0) await source.appendRows('contacts', tabColumns('contacts'), plan.newContacts);
  if (plan.contactUpdates.length > 0) await source.updateCells('contacts', 'contact_id', plan.contactUpdates);
  if (plan.newParticipants.length > 0) await source.appendRows('participants', tabColumns('participants'), plan.newParticipants);
  if (plan.expiredContacts.length > 0) await source.deleteRows('contacts', 'contact_id', plan.expiredContacts);
  // A row staff edited or deleted since the read is not found by its answers: left for the next run.
  if (plan.rowUpdates.length > 0) await source.updateCells(SIGNUPS_TAB, columns, plan.rowUpdates);
}

async function mail(synced: Synced, source: WritableSource, plan: SignupPlan, secret: string, options: SignupOptions): Promise<string> {
  if (plan.mail.length === 0) return 'none to send';
  const { settings } = synced.dataset;
  const { site_url: site, email_from: from, email_reply_to: replyTo } = settings;
  if (!site || !from) {
    return `${plan.mail.length} wait: settings ${!site ? 'site_url' : 'email_from'} is blank (the email links to <site_url>/confirm/ and is sent from email_from); set it and run sync again`;
  }
  const messages: { id: string; message: OutgoingMessage }[] = [];
  for (const m of plan.mail) {
    const rendered = await renderConfirmationEmail(m, { ...settings, site_url: site }, secret);
    messages.push({
      id: sendLogId(m.signup_id),
      message: {
        contact_id: m.contact_id, from, to: m.answers.email, ...(replyTo ? { replyTo } : {}),
        subject: rendered.subject, html: rendered.html, text: rendered.text,
        // Transactional, at the person's request: no List-Unsubscribe (there is no subscription yet).
        headers: {}, tags: [{ name: 'kind', value: 'signup-confirmation' }],
      },
    });
  }
  if (!options.env.RESEND_API_KEY) {
    if (!options.out) return `${messages.length} wait (dry run without an output folder)`;
    const { writeOutbox, outboxDir } = await import('../send/outbox.ts');
    await writeOutbox(options.out, { mailing_id: OUTBOX, name: `${messages.length} confirmation emails` }, messages.map((m) => m.message), [
      'Sign-up confirmations: sync sends them through Resend once RESEND_API_KEY is set.',
    ], 'tidings sync with RESEND_API_KEY set');
    return `${messages.length} written to the outbox (dry run: RESEND_API_KEY is not set) → ${outboxDir(options.out, OUTBOX)}`;
  }
  const { BatchSender, resendFromEnv } = await import('../send/provider.ts');
  // The receipts' sender: one message per request, planned in the send log first, each with a fixed idempotency key.
  const summary: ReceiptSendSummary = await sendReceipts(synced.dataset.email_events, messages, { source, sender: new BatchSender(resendFromEnv(options.env)) });
  const parts = [`${summary.sentNow} sent${summary.resumed > 0 ? ` (${summary.resumed} of them resumed from an interrupted run, under the same idempotency key: Resend sends none twice)` : ''}`];
  if (summary.quotaStop) parts.push(`${grouped(summary.left)} wait for Resend's ${summary.quotaStop.quota} quota (after ${summary.quotaStop.resumeAfter}); the next sync sends them`);
  return parts.join('; ');
}

/** The run log's line: how many sign-ups were new, pending, confirmed, expired and junk. */
export function signupLine(counts: SignupCounts, mailLine: string): string {
  const extra = [
    counts.duplicate > 0 && `${grouped(counts.duplicate)} repeated`,
    counts.suppressed > 0 && `${grouped(counts.suppressed)} suppressed (not mailed)`,
    counts.invalidConfirmations > 0 && `${grouped(counts.invalidConfirmations)} invalid confirmations`,
  ].filter(Boolean);
  return `sign-ups: ${grouped(counts.new)} new, ${grouped(counts.pending)} pending, ${grouped(counts.confirmed)} confirmed, ${grouped(counts.expired)} expired, ${grouped(counts.junk)} junk${extra.length > 0 ? ` (${extra.join(', ')})` : ''}; confirmation emails: ${mailLine}`;
}
