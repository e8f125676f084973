import { JWT } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../sync/sources/backoff.ts';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { SHEETS_SCOPE } from '../../sync/sources/google-auth.ts';
import { SEGMENT_ROW_COLUMNS } from '../../sync/write-back.ts';
import { loadDataset } from '../../sync/load.ts';
import { CELL_LIMIT } from '../support/fake-sheets-server.ts';
import { withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
const TWO_MB = 2_000_000;
const writes = (from: number) => sheets.fake.requests.slice(from).filter((r) => r.method === 'POST');

describe('request size: every write stays within the 2 MB Google recommends', () => {
  it('rewrites a _segments of 200,000 rows in parts of at most 2 MB, and the tab ends complete and in order', async () => {
    const { id, source } = await sheets.sampleSheet();
    const rows = Array.from({ length: 200_000 }, (_, i) => ['lapsed', `C${i}`, `Donor number ${i} 王小明`, `donor${i}@example.org`, `last gift 2023-0${1 + (i % 9)}-01`]);
    const from = sheets.fake.requests.length;
    await source.replaceTab('_segments', [...SEGMENT_ROW_COLUMNS], rows);
    const sizes = writes(from).map((r) => r.bytes);
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(TWO_MB);
    const cells = sheets.fake.values(id, '_segments');
    expect(cells.length).toBe(200_001);
    expect(cells[0]).toEqual([...SEGMENT_ROW_COLUMNS]);
    expect(cells.slice(1)).toEqual(rows);

    // A shorter list afterwards leaves nothing of the long one.
    await source.replaceTab('_segments', [...SEGMENT_ROW_COLUMNS], rows.slice(0, 3));
    expect(sheets.fake.values(id, '_segments')).toEqual([[...SEGMENT_ROW_COLUMNS], ...rows.slice(0, 3)]);
  });

  it('appends 60,000 email_events rows in parts of at most 2 MB, every row once, in order', async () => {
    const { id, source } = await sheets.sampleSheet();
    const header = sheets.fake.values(id, 'email_events')[0].map(String);
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ message_id: `msg-${1000 + i}`, mailing_id: 'M002', contact_id: `C${i}`, email: `someone.with.a.long.address.${i}@example.org`, last_event: 'sent' }));
    const from = sheets.fake.requests.length;
    await source.appendRows('email_events', header, rows);
    const sizes = writes(from).map((r) => r.bytes);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(TWO_MB);
    expect(sheets.fake.values(id, 'email_events').slice(1).map((r) => r[0])).toEqual(['msg-1', 'msg-2', 'msg-3', ...rows.map((r) => r.message_id)]);
  });
});

describe('backoff, as Google advises (limits#exponential)', () => {
  it('waits min(2^n s + random ms, 64 s) and keeps trying for up to 10 minutes of waiting, then gives up', async () => {
    const waits: number[] = [];
    const lines: string[] = [];
    const backoff = new Backoff(undefined, (l) => lines.push(l), { sleep: async (ms) => waits.push(ms), random: () => 0.5 });
    const tooMany = Object.assign(new Error('429'), { response: { status: 429 } });
    let calls = 0;
    await expect(backoff.run('read', async () => {
      calls++;
      throw tooMany;
    })).rejects.toBe(tooMany);
    expect(waits.slice(0, 8)).toEqual([1500, 2500, 4500, 8500, 16500, 32500, 64000, 64000]);
    const total = waits.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(600_000);
    expect(total + 64_000).toBeGreaterThan(600_000);
    expect(calls).toBe(waits.length + 1);
    expect(lines[0]).toBe('sheets: read got 429 (too many requests); retry 1 in 1.5s');
  });

  it('retries a client timeout (TimeoutError) like a 5xx, but not on a request that may have changed something', async () => {
    const backoff = new Backoff(undefined, () => {}, { sleep: async () => {}, random: () => 0 });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { code: 'TimeoutError' });
    let calls = 0;
    expect(await backoff.run('read', async () => (++calls < 3 ? Promise.reject(timeout) : 'ok'))).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(backoff.run('append', async () => (++calls, Promise.reject(timeout)), { idempotent: false })).rejects.toBe(timeout);
    expect(calls).toBe(1);
  });

  it('outlasts the per-minute quota: 70 reads in a row all succeed, the ones over 60 after waiting', async () => {
    const { id } = await sheets.sampleSheet();
    let now = 0;
    sheets.fake.quota = { perMinute: 60, now: () => now };
    try {
      const lines: string[] = [];
      const client = sheets.client({ retry: undefined, log: (l) => lines.push(l), clock: { sleep: async (ms) => (now += ms), random: () => 0 } });
      for (let i = 0; i < 70; i++) await client.batchGet(id, ["'donations'"]);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => /got 429 \(too many requests\)/.test(l))).toBe(true);
      expect(now).toBeGreaterThanOrEqual(60_000);
    } finally {
      sheets.fake.quota = undefined;
    }
  });
});

describe('connections that hang', () => {
  it('gives up on a request with no answer after the timeout and retries it', async () => {
    const { id } = await sheets.sampleSheet();
    const lines: string[] = [];
    const source = new GoogleSheetsSource(id, sheets.client({ timeoutMs: 300, log: (l) => lines.push(l) }));
    sheets.fake.hang({ when: (_, path) => path.endsWith('/values:batchGet') });
    const workbook = await source.read();
    expect(workbook.get('contacts')?.rows.length).toBe(8);
    expect(lines).toEqual([expect.stringMatching(/^sheets: read \d+ tabs got TimeoutError \(no answer in time\); retry 1 of 3/)]);
  });

  it('waits for a slow answer that comes within the timeout, without retrying', async () => {
    const { id } = await sheets.sampleSheet();
    const lines: string[] = [];
    const source = new GoogleSheetsSource(id, sheets.client({ timeoutMs: 2000, log: (l) => lines.push(l) }));
    sheets.fake.hang({ when: (_, path) => path.endsWith('/values:batchGet'), forMs: 300 });
    expect((await source.read()).get('contacts')?.rows.length).toBe(8);
    expect(lines).toEqual([]);
  });

  it('does not resend an append that hung (it may have been carried out), and says what happened', async () => {
    const { id } = await sheets.sampleSheet();
    const source = new GoogleSheetsSource(id, sheets.client({ timeoutMs: 300 }));
    sheets.fake.hang({ when: (_, path) => path.endsWith(':append') });
    await expect(source.appendRows('email_events', ['message_id'], [{ message_id: 'msg-9' }])).rejects.toThrow(/no answer from Google Sheets: TimeoutError/);
  });
});

describe('what a spreadsheet may hold besides tables', () => {
  it('skips a chart sheet when reading, with a note, and reads every table', async () => {
    const { id, source } = await sheets.sampleSheet();
    sheets.fake.addChartSheet(id, 'Gifts chart');
    // Reading the chart sheet's values is an error, as the API answers for a sheet with no grid.
    await expect(sheets.client().batchGet(id, ["'Gifts chart'"])).rejects.toThrow(/400/);
    sheets.log.length = 0;
    const { dataset, problems } = await loadDataset(source, '2024-07-01');
    expect(dataset.contacts.length).toBeGreaterThan(0);
    expect(problems.some((p) => /Gifts chart/.test(p.message))).toBe(false);
    expect(sheets.log).toContain('sheets: skipping "Gifts chart": it is a chart sheet, not a table');
  });
});

describe('403: which of the three it is', () => {
  it('not shared: names the service account to share with', async () => {
    const { id, source } = await sheets.sampleSheet();
    sheets.fake.spreadsheets.get(id)!.shared = false;
    await expect(source.read()).rejects.toThrow(`is not shared with ${sheets.account.email}: open it, click Share, and add ${sheets.account.email} as an Editor`);
  });

  it('credentials without the Sheets scope: names the scope and where to add it', async () => {
    const { id } = await sheets.sampleSheet();
    const key = JSON.parse(sheets.account.json);
    const jwt = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
    jwt.useJWTAccessWithScope = true;
    const { GoogleAuth } = await import('google-auth-library');
    const source = new GoogleSheetsSource(id, sheets.client({ auth: new GoogleAuth({ authClient: jwt }) }));
    const error = await source.read().then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(`were not given the scope ${SHEETS_SCOPE}`);
    expect(error?.message).not.toMatch(/not shared/);
  });

  it('API not enabled in the project: says to enable the Google Sheets API', async () => {
    const { source } = await sheets.sampleSheet();
    sheets.fake.apiEnabled = false;
    try {
      await expect(source.read()).rejects.toThrow(/the Google Sheets API is not enabled in the Cloud project of these credentials: enable it/);
    } finally {
      sheets.fake.apiEnabled = true;
    }
  });
});

describe('the 10 million cell ceiling (the fake)', () => {
  it('counts the grid, blank cells included, and refuses what would grow it past 10,000,000 cells', async () => {
    const { id, source } = await sheets.sampleSheet();
    // The rest of the spreadsheet is ~27,000 cells; a blank 9.5M-cell grid takes it near the ceiling cheaply.
    sheets.fake.setGridSize(id, 'events', 95_000, 100);
    const room = CELL_LIMIT - sheets.fake.gridCells(id);
    expect(room).toBeLessThan(500_000);
    const rows = Array.from({ length: Math.ceil(room / 5) }, (_, i) => ['lapsed', `C${i}`, '', '', '']);
    await expect(source.replaceTab('_segments', [...SEGMENT_ROW_COLUMNS], rows)).rejects.toThrow(
      'Invalid requests[0].addSheet: This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
    // Nothing of the refused request was applied (batchUpdate is atomic).
    expect(sheets.fake.spreadsheets.get(id)!.tabs.some((t) => t.title === '_segments')).toBe(false);
    // A values.append that grows the grid meets it too.
    sheets.fake.setGridSize(id, 'events', 95_000, 100 + Math.floor(room / 95_000));
    const header = sheets.fake.values(id, 'email_events')[0].map(String);
    const events = Array.from({ length: 30_000 }, (_, i) => ({ message_id: `m${i}` }));
    await expect(source.appendRows('email_events', header, events)).rejects.toThrow(/above the limit of 10000000 cells/);
    // So do inserted rows and appended cells; a request that shrinks the grid does not.
    const sheetId = sheets.fake.tab(id, 'email_events').sheetId;
    const client = sheets.client();
    await expect(client.batchUpdate(id, [{ insertDimension: { range: { sheetId, dimension: 'ROWS', startIndex: 1, endIndex: 5000 } } }], 'insert rows'))
      .rejects.toThrow('Invalid requests[0].insertDimension: This action would increase');
    await expect(client.batchUpdate(id, [{ appendCells: { sheetId, rows: Array.from({ length: 5000 }, () => ({ values: [{ userEnteredValue: { stringValue: 'x' } }] })), fields: 'userEnteredValue' } }], 'append cells'))
      .rejects.toThrow('Invalid requests[0].appendCells: This action would increase');
    await client.batchUpdate(id, [{ updateSheetProperties: { properties: { sheetId, gridProperties: { rowCount: 10 } }, fields: 'gridProperties.rowCount' } }], 'shrink');
    expect(sheets.fake.tab(id, 'email_events').rowCount).toBe(10);
  });
});

describe('typed cells written back', () => {
  it('formats a date-time column the tool adds, so the serials it writes there show as dates', async () => {
    const { id, source } = await sheets.sampleSheet();
    // A sheet laid out before email_events had clicked_at: staff removed the column.
    sheets.fake.editRows(id, 'email_events', (rows) => rows.map((r) => r.slice(0, 7)));
    const tab = sheets.fake.tab(id, 'email_events');
    tab.cells[0] = tab.cells[0].slice(0, 7);
    tab.numberFormats.delete(7);
    await source.updateCells('email_events', 'message_id', [{ id: 'msg-1', column: 'clicked_at', value: '2024-06-01T04:00:00.000Z' }]);
    const header = sheets.fake.values(id, 'email_events')[0];
    const column = header.indexOf('clicked_at');
    expect(column).toBe(7);
    expect(sheets.fake.tab(id, 'email_events').numberFormats.get(column)).toEqual({ type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm' });
    expect(typeof sheets.fake.values(id, 'email_events')[1][column]).toBe('number');
  });

  it('writes an opt-out as an unticked checkbox and an instant as a date-time serial, which sync reads back exactly', async () => {
    const { id, source } = await sheets.sampleSheet();
    await source.read();
    await source.updateCells('contacts', 'contact_id', [{ id: 'C001', column: 'email_opt_in', value: 'no' }]);
    await source.updateCells('mailings', 'mailing_id', [{ id: 'M002', column: 'sent_at', value: '2024-07-01T01:02:03.456Z' }]);
    const contacts = sheets.fake.values(id, 'contacts');
    expect(contacts[1][contacts[0].indexOf('email_opt_in')]).toBe(false);
    const mailings = sheets.fake.values(id, 'mailings');
    const sentAt = mailings[2][mailings[0].indexOf('sent_at')];
    expect(typeof sentAt).toBe('number');
    // 2024-07-01 09:02:03.456 in Asia/Taipei, the sample's time zone, as a serial.
    expect(sentAt).toBeCloseTo(45474 + (9 * 3600 + 2 * 60 + 3.456) / 86400, 9);
    const header = sheets.fake.values(id, 'email_events')[0].map(String);
    await source.appendRows('email_events', header, [{ message_id: 'msg-7', mailing_id: 'M002', contact_id: 'C001', sent_at: '2024-07-01T01:02:03.456Z', last_event: 'sent' }]);
    const events = sheets.fake.values(id, 'email_events');
    expect(events.at(-1)![header.indexOf('sent_at')]).toBe(sentAt);
    const { dataset } = await loadDataset(source, '2024-07-02');
    expect([...dataset.email_events].find((e) => e.message_id === 'msg-7')!.sent_at).toBe('2024-07-01T01:02:03.456Z');
    expect(dataset.contacts.find((c) => c.contact_id === 'C001')!.email_opt_in).toBe(false);
    expect(dataset.mailings.find((m) => m.mailing_id === 'M002')!.sent_at).toBe('2024-07-01T01:02:03.456Z');
  });
});
