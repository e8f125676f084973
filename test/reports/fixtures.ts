import type { Dataset } from '../../sync/dataset.ts';
import type { Problem } from '../../sync/problems.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import { validateWorkbook } from '../../sync/validate.ts';

export type Rows = Record<string, string>[];

/** The header a tab needs when a fixture leaves it out (the validator requires these two tabs). */
const REQUIRED_HEADERS: Record<string, string[]> = {
  contacts: ['contact_id'],
  donations: ['donation_id', 'contact_id', 'date', 'amount'],
};

/** A raw workbook from inline rows (header = every key used), as a CSV folder would give it. */
export function workbook(tabs: Record<string, Rows>, settings: Record<string, string> = {}): RawWorkbook {
  const wb: RawWorkbook = new Map();
  wb.set('settings', { name: 'settings', header: ['key', 'value'], rows: Object.entries(settings) });
  for (const [name, header] of Object.entries(REQUIRED_HEADERS)) wb.set(name, { name, header, rows: [] });
  for (const [name, rows] of Object.entries(tabs)) {
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    wb.set(name, { name, header, rows: rows.map((r) => header.map((h) => r[h] ?? '')) });
  }
  return wb;
}

/** Validates the rows; a fixture with an error row is a broken fixture, so it throws. */
export function dataset(tabs: Record<string, Rows>, settings: Record<string, string> = {}): Dataset {
  const { dataset, problems } = validateWorkbook(workbook(tabs, settings));
  const errors = problems.filter((p: Problem) => p.severity === 'error');
  if (errors.length) throw new Error(errors.map((p) => `${p.tab} row ${p.row} ${p.column}: ${p.message}`).join('\n'));
  return dataset;
}

/** Contacts with only an id and a name. */
export const contacts = (...ids: string[]): Rows => ids.map((id) => ({ contact_id: id, first_name: `Name ${id}` }));
