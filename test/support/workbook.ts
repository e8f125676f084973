import { parseCsvTab } from '../../sync/sources/csv.ts';
import { type RawWorkbook, normalizeName } from '../../sync/sources/source.ts';
import { type Validated, validateWorkbook } from '../../sync/validate.ts';

/** A workbook from inline CSV text per tab, read exactly as the CSV source reads files. */
export function workbookFromCsv(tabs: Record<string, string>): RawWorkbook {
  const workbook: RawWorkbook = new Map();
  for (const [name, text] of Object.entries(tabs)) workbook.set(normalizeName(name), parseCsvTab(name, dedent(text)));
  return workbook;
}

/** A validated dataset from inline CSV text per tab (contacts and donations default to empty tabs). */
export function datasetFromCsv(tabs: Record<string, string>): Validated {
  return validateWorkbook(
    workbookFromCsv({ contacts: 'contact_id,first_name', donations: 'donation_id,contact_id,date,amount', ...tabs }),
  );
}

const dedent = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
