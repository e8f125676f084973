import { describe, expect, it } from 'vitest';
import { LISTED_PER_COLUMN, validateWorkbook } from '../../sync/validate.ts';
import { workbookFromCsv } from '../support/workbook.ts';

// A contacts tab of junk, as an import gone wrong pastes it: every address invalid (a warning: the
// row is kept without it), every third birth date unreadable (an error: the row is left out), and
// a few opt-ins nobody can read (errors too, but few enough to be listed all).
const ROWS = 12_000;
function junkContacts(): string {
  const lines = ['contact_id,first_name,email,birth_date,email_opt_in'];
  for (let i = 0; i < ROWS; i++) lines.push(`C${i},Name ${i},junk-${i},${i % 3 === 0 ? 'not a date' : '1980-01-01'},${i % 3 !== 0 && i < 30 ? 'maybe' : 'yes'}`);
  return lines.join('\n');
}

describe('a tab of junk in contacts', () => {
  it('lists the first problems of each column and counts the rest in one problem; the rows are kept or left out as before', () => {
    const { dataset, problems, summary } = validateWorkbook(workbookFromCsv({
      contacts: junkContacts(), donations: 'donation_id,contact_id,date,amount',
    }));

    // Rows: every row with an unreadable birth date or opt-in is left out, every other row is kept.
    const leftOut = (i: number) => i % 3 === 0 || i < 30;
    expect(dataset.contacts).toHaveLength(Array.from({ length: ROWS }, (_, i) => i).filter((i) => !leftOut(i)).length);
    expect(dataset.contacts.every((c) => c.email === undefined)).toBe(true);
    expect(summary.find((s) => s.tab === 'contacts')).toMatchObject({ read: ROWS, errors: ROWS / 3 + 20, warnings: ROWS });

    const of = (column: string, severity: string) => problems.filter((p) => p.tab === 'contacts' && p.column === column && p.severity === severity);
    const emails = of('email', 'warning');
    expect(emails).toHaveLength(LISTED_PER_COLUMN + 1);
    // The first ones as found, row by row, each on its row.
    expect(emails.slice(0, 3).map((p) => [p.row, p.value])).toEqual([[2, 'junk-0'], [3, 'junk-1'], [4, 'junk-2']]);
    expect(emails[LISTED_PER_COLUMN].row).toBeUndefined();
    expect(emails[LISTED_PER_COLUMN].column_letter).toBe('C');
    expect(emails[LISTED_PER_COLUMN].message).toMatch(/^11,000 more warnings in column email are not listed \(only the first 1,000 are\): those rows are kept/);

    const dates = of('birth_date', 'error');
    expect(dates).toHaveLength(LISTED_PER_COLUMN + 1);
    expect(dates[LISTED_PER_COLUMN].message).toMatch(/^3,000 more errors in column birth_date are not listed .*: those rows are left out too/);

    // A column with few problems is listed whole, with no count.
    expect(of('email_opt_in', 'error')).toHaveLength(20);
    expect(problems.length).toBe(2 * (LISTED_PER_COLUMN + 1) + 20);
  });

  it('a tab with fewer problems than the limit lists them all', () => {
    const lines = ['contact_id,first_name,email', ...Array.from({ length: LISTED_PER_COLUMN }, (_, i) => `C${i},Name,junk-${i}`)];
    const { problems } = validateWorkbook(workbookFromCsv({ contacts: lines.join('\n'), donations: 'donation_id,contact_id,date,amount' }));
    expect(problems).toHaveLength(LISTED_PER_COLUMN);
    expect(problems.every((p) => p.row !== undefined)).toBe(true);
  });
});
