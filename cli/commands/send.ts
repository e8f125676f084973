import { Command } from 'commander';
import { formatAudience } from '../../emails/audience.ts';
import { evaluateSegment } from '../../reports/segments/index.ts';
import { unsubscribeSecret } from '../../emails/unsubscribe.ts';
import { EmailError } from '../../emails/errors.ts';
import { dueMailings, nextScheduled } from '../../emails/send/due.ts';
import { idProblem } from '../../sync/cells/id-rule.ts';
import type { Mailing } from '../../sync/dataset.ts';
import { isWritable } from '../../sync/sources/source.ts';
import { openSource } from '../../sync/sources/open.ts';
import { printableLines } from '../../sync/terminal.ts';
import { UsageError } from '../../sync/errors.ts';
import { type Synced, loadDataset } from '../../sync/load.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

interface SendOptions extends DataOptions {
  live?: boolean;
  due?: boolean;
}

/** Used for dry runs without TIDINGS_UNSUBSCRIBE_SECRET: tokens in a dry run are never sent. */
const DRY_RUN_SECRET = 'dry-run-secret-not-for-sending';

/** A dry run of one mailing: the audience printed and every message written to the outbox. */
export async function dryRun(synced: Synced, mailing: Mailing, out: string, log: (line: string) => void): Promise<string> {
  const [{ prepareMailing }, { writeOutbox }] = await Promise.all([import('../../emails/send/prepare.ts'), import('../../emails/send/outbox.ts')]);
  const secret = unsubscribeSecret() ?? DRY_RUN_SECRET;
  const prepared = await prepareMailing(synced.dataset, synced.asOf, mailing, { evaluateSegment: evaluateSegment, secret });
  // One log call per line: printableLines shows a line break inside a line as \n.
  for (const line of formatAudience(mailing.mailing_id, prepared.audience).split('\n')) log(line);
  const notes = secret === DRY_RUN_SECRET ? ['TIDINGS_UNSUBSCRIBE_SECRET is not set: unsubscribe links here use a placeholder secret and would not verify.'] : [];
  return writeOutbox(out, mailing, prepared.messages, notes);
}

/** A live send; true when Resend's quota stopped it (the rest goes out on a later run). */
async function live(synced: Synced, mailing: Mailing, log: (line: string) => void): Promise<boolean> {
  if (mailing.status !== 'scheduled' && mailing.status !== 'sending') {
    throw new UsageError(`mailings row ${mailing.row}: ${mailing.mailing_id} has status ${mailing.status}; only scheduled (or sending, to resume) mailings are sent live: set its status to scheduled`);
  }
  const secret = unsubscribeSecret();
  if (!secret) throw new UsageError('TIDINGS_UNSUBSCRIBE_SECRET is not set: set it (a long random string, kept the same forever) before sending');
  if (!process.env.RESEND_API_KEY) throw new UsageError('RESEND_API_KEY is not set: create an API key with sending access in Resend and set it');
  if (!isWritable(synced.source)) throw new UsageError(`${synced.source.label} cannot be written back to: the send log needs a writable source`);
  const [{ formatLiveSummary, sendLive }, { BatchSender, resendFromEnv }] = await Promise.all([
    import('../../emails/send/live.ts'), import('../../emails/send/provider.ts'),
  ]);
  const resend = resendFromEnv();
  const summary = await sendLive(synced.dataset, synced.asOf, mailing, {
    evaluateSegment: evaluateSegment, secret, source: synced.source, sender: new BatchSender(resend),
  });
  if (summary.audience) for (const line of formatAudience(mailing.mailing_id, summary.audience).split('\n')) log(line);
  log(formatLiveSummary(summary));
  return summary.quotaStop !== undefined;
}

export async function runSend(mailingId: string | undefined, options: SendOptions, log: (line: string) => void = console.log): Promise<void> {
  log = printableLines(log);
  if (!mailingId && !options.due) throw new UsageError('send: name a mailing (tidings send <mailing_id>) or use --due');
  // Checked before anything is read: the id names the outbox folder that a dry run replaces.
  const why = mailingId === undefined ? undefined : idProblem(mailingId);
  if (why) throw new UsageError(`send ${mailingId}: not a mailing id (${why}); give the mailing_id as it is in the mailings tab`);
  const synced = await loadDataset(await openSource(options.source), options.asOf);
  const mailings = mailingId ? synced.dataset.mailings.filter((m) => m.mailing_id === mailingId) : dueMailings(synced.dataset, new Date());
  if (mailingId && mailings.length === 0) throw new UsageError(`send: no mailing ${mailingId} in the mailings tab (or its row has errors: run tidings sync)`);
  if (mailings.length === 0) log('send: no mailing is due');
  for (const [i, mailing] of mailings.entries()) {
    if (!options.live) log(`dry run (nothing sent) → ${await dryRun(synced, mailing, options.out, log)}`);
    // A quota stop is a normal "continue on the next run" (exit 0): the mailings after it wait too.
    else if (await live(synced, mailing, log)) {
      if (i + 1 < mailings.length) log(`send: ${mailings.slice(i + 1).map((m) => m.mailing_id).join(', ')} wait for the quota too`);
      break;
    }
  }
}

export const sendCommand = withDataOptions(new Command('send'))
  .argument('[mailing_id]', 'the mailing to send')
  .option('--due', 'every mailing with status scheduled and scheduled_for in the past (and any left sending)')
  .option('--live', 'really send, through Resend (RESEND_API_KEY)')
  .action(async (mailingId: string | undefined, options: SendOptions) => {
    await runSend(mailingId, options);
  });

/** The `run` stage: the archive's newsletters.json, and a dry run of the next scheduled mailing. */
export async function emailStage(synced: Synced, out: string, log: (line: string) => void = console.log): Promise<void> {
  log = printableLines(log);
  const { writePublicNewsletters } = await import('../../emails/public.ts');
  log(`newsletters: ${await writePublicNewsletters(out, synced.dataset, synced.asOf)}`);
  const next = nextScheduled(synced.dataset);
  if (!next) {
    log('emails: no scheduled mailing to preview');
    return;
  }
  try {
    log(`emails: dry run of the next scheduled mailing → ${await dryRun(synced, next, out, log)}`);
  } catch (error) {
    if (!(error instanceof EmailError || error instanceof UsageError)) throw error;
    log(`emails: the dry run of ${next.mailing_id} stopped: ${error.message}`);
  }
}
