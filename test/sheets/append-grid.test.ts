import { describe, expect, it } from 'vitest';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();

describe('appending rows grows the grid as Sheets does (values.append with INSERT_ROWS)', () => {
  it('adds exactly the rows appended, even when blank rows are left below the table', async () => {
    const header = ['message_id', 'email'];
    sheets.fake.addSpreadsheet('append-grid', { email_events: [header, ['M1', 'a@example.org']] });
    const tab = sheets.fake.tab('append-grid', 'email_events');
    // A new tab's grid: 1,000 rows, of which two hold data.
    expect(tab.rowCount).toBe(1000);
    const source = new GoogleSheetsSource('append-grid', sheets.client());

    await source.appendRows('email_events', header, [{ message_id: 'M2', email: 'b@example.org' }, { message_id: 'M3', email: 'c@example.org' }]);

    expect(tab.rowCount).toBe(1002);
    expect(sheets.fake.values('append-grid', 'email_events')).toEqual([header, ['M1', 'a@example.org'], ['M2', 'b@example.org'], ['M3', 'c@example.org']]);
  });
});
