import type { RawCell } from '../../sync/cells/result.ts';
import { evaluateSegment } from '../../reports/segments/index.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { REQUIRED_TABS, type RowTabName } from '../../sync/schema/tabs.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import { validateWorkbook } from '../../sync/validate.ts';

type Cells = Record<string, RawCell>;
/** The data tabs, settings, and the tool's suppression list (read into the dataset too). */
export type Tabs = Partial<Record<RowTabName, Cells[]>> & { settings?: Record<string, string>; _suppressions?: Cells[] };

const REQUIRED_HEADER: Partial<Record<RowTabName, string[]>> = {
  contacts: ['contact_id', 'first_name'],
  donations: ['donation_id', 'contact_id', 'date', 'amount'],
};

/**
 * A Dataset from inline rows, read through the real validator (so fixtures are parsed exactly as
 * a sheet would be). Rows are objects keyed by column name; the header is every key used. Any
 * error in the rows fails the test that built them.
 */
export function buildDataset(tabs: Tabs): Dataset {
  const workbook: RawWorkbook = new Map();
  if (tabs.settings) {
    workbook.set('settings', { name: 'settings', header: ['key', 'value'], rows: Object.entries(tabs.settings) });
  }
  const names = new Set<RowTabName>([...REQUIRED_TABS, ...(Object.keys(tabs).filter((t) => t !== 'settings') as RowTabName[])]);
  for (const tab of names) {
    const rows = tabs[tab] ?? [];
    const header = [...new Set([...(REQUIRED_HEADER[tab] ?? []), ...rows.flatMap((r) => Object.keys(r))])];
    workbook.set(tab, { name: tab, header, rows: rows.map((r) => header.map((h) => r[h] ?? '')) });
  }
  const { dataset, problems } = validateWorkbook(workbook);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`fixture has errors: ${errors.map((e) => `${e.tab} row ${e.row} ${e.column}: ${e.message}`).join('; ')}`);
  return dataset;
}

let serial = 0;

/** A donations row (completed unless `extra` says otherwise), with a fresh donation_id. */
export const donation = (contact_id: string, date: string, amount: RawCell, extra: Cells = {}): Cells => ({
  donation_id: `D${++serial}`, contact_id, date, amount, ...extra,
});

/** Contacts rows named after their ids. */
export const contacts = (...ids: string[]): Cells[] => ids.map((contact_id) => ({ contact_id, first_name: contact_id }));

/** The contact ids of a segment spec's members, in order. */
export const memberIds = (...args: Parameters<typeof evaluateSegment>) => evaluateSegment(...args).map((m) => m.contact_id);
