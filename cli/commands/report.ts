import { Command, Option } from 'commander';
import { writeDashboard } from '../../reports/dashboard/write.ts';
import { buildDashboard } from '../../reports/dashboard/sections.ts';
import { fiscalYears } from '../../sync/periods.ts';
import { writePublicAggregates } from '../../reports/public/write.ts';
import { segmentCatalog } from '../../reports/segments/catalog.ts';
import { readDate } from '../../sync/cells/dates.ts';
import { UsageError } from '../../sync/errors.ts';
import type { Synced } from '../../sync/load.ts';
import { printableLines } from '../../sync/terminal.ts';
import { withDataOptions } from '../options.ts';
import { type SyncOptions, runSync, withSyncOptions } from './sync.ts';

export interface ReportOptions extends SyncOptions {
  from?: string;
  to?: string;
}

/** --from/--to as staff type dates; default this fiscal year to D. */
function utmPeriod(options: ReportOptions, synced: Synced) {
  const { settings } = synced.dataset;
  const read = (flag: string, text: string | undefined, fallback: string) => {
    if (!text) return fallback;
    const d = readDate(text, settings.timezone);
    if (!d.ok || !d.value) throw new UsageError(`${flag} ${text}: write the date as YYYY-MM-DD, e.g. 2024-07-01`);
    return d.value;
  };
  const year = fiscalYears(synced.asOf, settings.fiscal_year_start).thisYear;
  const period = { start: read('--from', options.from, year.start), end: read('--to', options.to, synced.asOf) };
  if (period.start > period.end) throw new UsageError(`--from ${period.start} is after --to ${period.end}: swap them`);
  return period;
}

/** Writes the staff dashboard with its CSVs (private) and the site's aggregates (public). */
export async function runReport(options: ReportOptions, synced: Synced, log: (line: string) => void = console.log, now = new Date()): Promise<void> {
  log = printableLines(log);
  const { dataset, asOf } = synced;
  const dashboard = buildDashboard(dataset, asOf, { utmPeriod: utmPeriod(options, synced), catalog: segmentCatalog });
  const { html, csvs } = await writeDashboard(options.out, dashboard);
  log(`report: dashboard → ${html} (${csvs.length} CSV tables beside it)`);
  const published = await writePublicAggregates(options.out, dataset, asOf, now);
  log(`report: public aggregates → ${published.join(', ')}`);
}

export const reportCommand = withSyncOptions(withDataOptions(new Command('report')))
  .addOption(new Option('--from <date>', 'UTM attribution from this date (default: the start of this fiscal year)'))
  .addOption(new Option('--to <date>', 'UTM attribution to this date (default: the as-of date)'))
  .action(async (options: ReportOptions) => {
    await runReport(options, await runSync(options));
  });
