import { Command } from 'commander';
import { type Delivery, receiptDeliveries, summaryDeliveries } from '../../reports/receipts/delivery.ts';
import { fiscalYearByLabel } from '../../reports/receipts/receipt.ts';
import { type WrittenPdf, printDir, receiptsDir, writeDeliveries, writeYearCsv } from '../../reports/receipts/write.ts';
import { readDate } from '../../sync/cells/dates.ts';
import { UsageError } from '../../sync/sync.ts';
import { renderReceiptEmail } from '../../emails/receipts/ReceiptEmail.tsx';
import { type DataOptions, withDataOptions } from '../options.ts';
import { runSync } from './sync.ts';

export interface ReceiptsOptions extends DataOptions {
  since?: string;
  year?: string;
}

/** A message for the sender: one per donor per run, with the PDFs attached. */
export interface OutgoingReceipt {
  /** Stable across runs, for the exactly-once ledger: receipt:<no>[+<no>…] or summary:<year>:<contact_id>. */
  id: string;
  contact_id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: WrittenPdf[];
}

/**
 * Receipts after sync: numbers any gift that has none (writing back to the source), then builds
 * one delivery per donor, writes the PDFs and printable pages, and prepares the emails.
 */
export async function runReceipts(options: ReceiptsOptions, log: (line: string) => void = console.log): Promise<OutgoingReceipt[]> {
  if (!options.since === !options.year) throw new UsageError('receipts: give either --since <date> (receipts for new gifts) or --year <fiscal year> (the annual summary)');
  const synced = await runSync({ ...options, assignReceipts: true }, log);
  const { dataset, asOf } = synced;
  let deliveries: Delivery[];
  if (options.since) {
    const since = readDate(options.since, dataset.settings.timezone);
    if (!since.ok || !since.value) throw new UsageError(`--since ${options.since}: write the date as YYYY-MM-DD, e.g. 2024-06-01`);
    deliveries = receiptDeliveries(dataset, since.value, asOf);
  } else {
    let year;
    try {
      year = fiscalYearByLabel(options.year!, dataset);
    } catch (error) {
      throw new UsageError(`--year ${options.year}: ${(error as Error).message}`);
    }
    deliveries = summaryDeliveries(dataset, year, asOf);
    log(`receipts: accountant's CSV → ${await writeYearCsv(options.out, year.label, deliveries, dataset)}`);
  }

  const pdfs = await writeDeliveries(options.out, deliveries);
  const count = (route: Delivery['route']) => deliveries.filter((d) => d.route === route).length;
  const sheets = deliveries.reduce((n, d) => n + d.sheets.length, 0);
  log(`receipts: ${sheets} ${options.since ? 'receipts' : 'summaries'} for ${deliveries.length} donors → ${receiptsDir(options.out)}`);
  log(`  ${count('email')} by email, ${count('print')} without an email to print → ${printDir(options.out)}, ${count('withheld')} withheld (do not contact)`);

  const messages: OutgoingReceipt[] = [];
  for (const delivery of deliveries.filter((d) => d.route === 'email')) {
    const email = await renderReceiptEmail(delivery, dataset);
    messages.push({ id: delivery.id, contact_id: delivery.contact.contact_id, to: delivery.contact.email!, ...email, attachments: pdfs.get(delivery.id)! });
  }
  log(`  sending: not wired yet (it goes through the newsletter sender's outbox and ledger once that lands); ${messages.length} emails prepared, none sent`);
  return messages;
}

export const receiptsCommand = withDataOptions(new Command('receipts'))
  .description('receipts: number every gift, write PDFs and printable pages, email one message per donor (--since) or the annual summary (--year)')
  .option('--since <date>', 'receipts for gifts dated from this date to --as-of')
  .option('--year <fiscal year>', 'the annual giving summary for this fiscal year (as receipt numbers show it: 2024, or 2024/25), with CSVs for the accountant')
  .action(async (options: ReceiptsOptions) => {
    await runReceipts(options);
  });
