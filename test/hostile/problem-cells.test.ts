import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSync } from '../../cli/commands/sync.ts';
import { describeProblem } from '../../sync/problems.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

describe('problems found after validation are placed like the others', () => {
  it('an unsubscribe token and a duplicate receipt number get their column letter and a link to the cell', async () => {
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    vi.stubEnv('TIDINGS_UNSUBSCRIBE_SECRET', 'problem-cells-secret');
    const { id } = await sheets.sampleSheet();
    // Staff copy D001's receipt number onto D002 (row 3).
    const donations = sheets.fake.tab(id, 'donations').cells;
    const receiptNo = donations[0].indexOf('receipt_no');
    donations[2][receiptNo] = donations[1][receiptNo];

    const lines: string[] = [];
    const synced = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out: await tempDir('out'), backup: false, assignReceipts: false }, (l) => lines.push(l));
    const cell = (tab: string, column: string, row: number) => {
      const index = sheets.fake.values(id, tab)[0].indexOf(column);
      const letter = String.fromCharCode(65 + index);
      return { letter, link: `https://docs.google.com/spreadsheets/d/${id}/edit#gid=${sheets.fake.tab(id, tab).sheetId}&range=${letter}${row}` };
    };

    const token = synced.problems.find((p) => p.tab === 'unsubscribes')!;
    const tokenCell = cell('unsubscribes', 'token', 2);
    expect(token).toMatchObject({ row: 2, column: 'token', column_letter: tokenCell.letter, link: tokenCell.link, value: 't1' });
    expect(lines).toContain(`  warning: unsubscribes, row 2, column ${tokenCell.letter} (token) [t1]: ${token.message}`);

    const duplicate = synced.problems.find((p) => p.tab === 'donations' && p.column === 'receipt_no')!;
    const receiptCell = cell('donations', 'receipt_no', 3);
    expect(duplicate).toMatchObject({ row: 3, column_letter: receiptCell.letter, link: receiptCell.link });
    expect(describeProblem(duplicate)).toContain(`donations, row 3, column ${receiptCell.letter} (receipt_no)`);
    expect(lines.join('\n')).not.toContain('column undefined');
  });
});
