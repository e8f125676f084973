import { Command } from 'commander';
import type { ReceiptMessage } from '../../emails/receipts/send.ts';
import type { Delivery } from '../../reports/receipts/delivery.ts';
import { readDate } from '../../sync/cells/dates.ts';
import { describeProblem } from '../../sync/problems.ts';
import { isWritable } from '../../sync/sources/source.ts';
import { UsageError } from '../../sync/errors.ts';
import type { Synced } from '../../sync/load.ts';
import { printableLines } from '../../sync/terminal.ts';
import { withDataOptions } from '../options.ts';
import { type SyncOptions, runSync, withSyncOptions } from './sync.ts';

export interface ReceiptsOptions extends SyncOptions {
  since?: string;
  year?: string;
  live?: boolean;
}

/**
 * Receipts after sync: numbers every gift that has none (writing back to the source), builds one
 * delivery per donor, writes the PDFs and printable pages, then emails them: a dry run into the
 * outbox, or with --live through Resend, exactly once per message.
 */
export async function runReceipts(options: ReceiptsOptions, log: (line: string) => void = console.log): Promise<void> {
  log = printableLines(log);
  if (!options.since === !options.year) throw new UsageError('receipts: give either --since <date> (receipts for new gifts) or --year <fiscal year> (the annual summary)');
  if (options.live) checkLive();
  // Numbers are assigned first as sync decides (on for Google Sheets; a CSV folder, such as the
  // committed sample, only with --assign-receipts); a gift without a number gets no receipt yet.
  const synced = await runSync(options, log);
  const { dataset, asOf } = synced;
  // Loaded here so other commands (and --help) do not pay for PDF, React and mail modules.
  const [{ receiptMessages, sentIds, sentReceiptNumbers }, { writeOutbox }, { receiptDeliveries, sharedReceiptNumbers, summaryDeliveries }, { fiscalYearByLabel, fileStem }, { printDir, receiptsDir, writeDeliveries, writeYearCsv }] = await Promise.all([
    import('../../emails/receipts/send.ts'), import('../../emails/send/outbox.ts'), import('../../reports/receipts/delivery.ts'),
    import('../../reports/receipts/receipt.ts'), import('../../reports/receipts/write.ts'),
  ]);
  // A number on two gifts could put one donor's gift on another's receipt: both wait until it is fixed.
  const shared = sharedReceiptNumbers(dataset);
  for (const p of shared.problems) log(`receipts: ${describeProblem(p)}`);
  let deliveries: Delivery[];
  let outbox: string;
  if (options.since) {
    const since = readDate(options.since, dataset.settings.timezone);
    if (!since.ok || !since.value) throw new UsageError(`--since ${options.since}: write the date as YYYY-MM-DD, e.g. 2024-06-01`);
    deliveries = receiptDeliveries(dataset, since.value, asOf, sentReceiptNumbers(dataset.email_events));
    outbox = 'receipts';
  } else {
    let year;
    try {
      year = fiscalYearByLabel(options.year!, dataset);
    } catch (error) {
      throw new UsageError(`--year ${options.year}: ${(error as Error).message}`);
    }
    deliveries = summaryDeliveries(dataset, year, asOf);
    outbox = `summary-${fileStem(year.label)}`;
    log(`receipts: accountant's CSV → ${await writeYearCsv(options.out, year.label, deliveries, dataset)}`);
  }

  const pdfs = await writeDeliveries(options.out, deliveries);
  const count = (route: Delivery['route']) => deliveries.filter((d) => d.route === route).length;
  const sheets = deliveries.reduce((n, d) => n + d.sheets.length, 0);
  log(`receipts: ${sheets} ${options.since ? 'receipts' : 'summaries'} for ${deliveries.length} donors → ${receiptsDir(options.out)}`);
  log(`  ${count('email')} by email, ${count('print')} without an email to print → ${printDir(options.out)}, ${count('withheld')} withheld (do not contact)`);

  const sent = sentIds(dataset.email_events);
  const messages = (await receiptMessages(deliveries, pdfs, dataset)).filter((m) => !sent.has(m.id));
  if (options.live) await live(synced, messages, log);
  else {
    const again = [options.since ? `--since ${options.since}` : `--year ${options.year}`, options.asOf ? `--as-of ${options.asOf}` : ''].filter(Boolean).join(' ');
    const dir = await writeOutbox(options.out, { mailing_id: outbox, name: `${messages.length} messages` }, messages.map((m) => m.message), [], `tidings receipts ${again} --live`);
    log(`  dry run (nothing sent): ${messages.length} emails → ${dir}`);
  }
}

function checkLive() {
  if (!process.env.RESEND_API_KEY) throw new UsageError('RESEND_API_KEY is not set: create an API key with sending access in Resend and set it');
}

async function live(synced: Synced, messages: ReceiptMessage[], log: (line: string) => void) {
  if (!isWritable(synced.source)) throw new UsageError(`${synced.source.label} cannot be written back to: the send log needs a writable source`);
  const [{ sendReceipts }, { BatchSender, resendFromEnv }] = await Promise.all([import('../../emails/receipts/send.ts'), import('../../emails/send/provider.ts')]);
  const summary = await sendReceipts(synced.dataset.email_events, messages, { source: synced.source, sender: new BatchSender(resendFromEnv()) });
  log(`  sent ${summary.sentNow} emails (${summary.requests} requests)${summary.resumed ? `, ${summary.resumed} resumed from an earlier run` : ''}${summary.alreadySent ? `, ${summary.alreadySent} already sent earlier (skipped)` : ''}`);
  const stop = summary.quotaStop;
  if (stop) log(`  stopped at Resend's ${stop.quota} quota: ${summary.left} emails left, none sent twice; run the same command again after ${stop.resumeAfter} to send them`);
}

export const receiptsCommand = withSyncOptions(withDataOptions(new Command('receipts')))
  .option('--since <date>', 'receipts for gifts dated from this date to --as-of that have not been emailed yet')
  .option('--year <fiscal year>', 'the annual giving summary for this fiscal year (as receipt numbers show it: 2024, or 2024/25), with CSVs for the accountant')
  .option('--live', 'really send, through Resend (RESEND_API_KEY); each message goes once, whatever runs again')
  .action(async (options: ReceiptsOptions) => {
    await runReceipts(options);
  });
