import { describe, expect, it } from 'vitest';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { MAX_BODY_BYTES } from '../../sync/sources/sheets-client.ts';
import type { Cell } from '../support/fake-sheets-server.ts';
import { withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();

const HEADER = ['message_id', 'mailing_id', 'contact_id', 'email', 'status'];
// 50,000 events; compact deletes 24,000 of them: 23,000 lone rows (every other row of the first
// 46,000, as when a few old events sit between newer ones) and one mailing of 1,000 rows together.
const ROWS = 50_000;
const event = (i: number): Cell[] => [`M${i}`, i >= 46_010 && i < 47_010 ? 'old-mailing' : `mailing-${i % 7}`, `C${i % 900}`, `p${i}@example.org`, 'delivered'];
const doomed = (i: number) => (i < 46_000 && i % 2 === 1) || (i >= 46_010 && i < 47_010);

function eventsSheet(id: string) {
  const rows = Array.from({ length: ROWS }, (_, i) => event(i));
  sheets.fake.addSpreadsheet(id, { email_events: [HEADER, ...rows] });
  const ids: string[] = [];
  const kept: Cell[][] = [];
  rows.forEach((row, i) => (doomed(i) ? ids.push(String(row[0])) : kept.push(row)));
  return { ids, kept, source: new GoogleSheetsSource(id, sheets.client()) };
}

/** The deleteDimension requests the fake receives from now on: how many ranges each body holds, and its size. */
function watchDeletes() {
  const seen: { ranges: number; bytes: number }[] = [];
  sheets.fake.beforeHandling((_, path, body) => {
    if (path.endsWith(':batchUpdate') && body.includes('deleteDimension')) seen.push({ ranges: body.split('"deleteDimension"').length - 1, bytes: Buffer.byteLength(body) });
    return false;
  }, () => {}, Number.MAX_SAFE_INTEGER);
  return seen;
}

describe('deleting many rows from a Google Sheets tab (compact, forget)', () => {
  it('deletes 24,000 rows as ranges of neighbouring rows, in requests of at most 2 MB, and only those rows', async () => {
    const { ids, kept, source } = eventsSheet('delete-many');
    const deletes = watchDeletes();
    const from = sheets.fake.requests.length;

    expect(await source.deleteRows('email_events', 'message_id', ids)).toBe(24_000);

    expect(sheets.fake.values('delete-many', 'email_events')).toEqual([HEADER, ...kept]);
    // 23,000 lone rows and one range for the mailing's 1,000 rows.
    expect(deletes.reduce((n, d) => n + d.ranges, 0)).toBe(23_001);
    // That many ranges are over 2 MB as one body, so they went as several.
    expect(deletes.length).toBeGreaterThan(1);
    for (const request of sheets.fake.requests.slice(from)) expect(request.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
  });

  it('staff insert a row at the top between two of the delete requests: the rows deleted by mistake come back, the rest still go', async () => {
    const { ids, kept, source } = eventsSheet('delete-while-editing');
    const deleteRequests = (_: string, path: string, body: string) => path.endsWith(':batchUpdate') && body.includes('deleteDimension');
    // The first delete request (the bottom rows) goes through; staff type a row at the top before the second.
    let deletesSeen = 0;
    sheets.fake.beforeHandling((...a) => deleteRequests(...a) && ++deletesSeen === 2, () =>
      sheets.fake.editRows('delete-while-editing', 'email_events', (rows) => [['staff-note', '', '', 'typed by staff', ''], ...rows]));
    const from = sheets.fake.requests.length;
    sheets.log.length = 0;

    expect(await source.deleteRows('email_events', 'message_id', ids)).toBe(24_000);

    // Every row kept is there, in order, and so is the staff's row (M0, deleted by mistake, is put back where it was: above it).
    const [header, ...rows] = sheets.fake.values('delete-while-editing', 'email_events');
    expect(header).toEqual(HEADER);
    expect(rows.filter((r) => r[0] !== 'staff-note')).toEqual(kept);
    expect(rows.filter((r) => r[0] === 'staff-note')).toEqual([['staff-note', '', '', 'typed by staff']]);
    expect(sheets.log.some((l) => /rows of email_events moved while deleting; \d+ rows deleted by mistake put back/.test(l))).toBe(true);
    for (const request of sheets.fake.requests.slice(from)) expect(request.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
  });
});
