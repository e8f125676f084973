import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { tidings } from './support/cli.ts';

// A folder as staff might leave it: good rows in the styles they type, with bad rows planted among them.
const TABS: Record<string, string> = {
  'contacts.csv': [
    'Contact ID,First Name,Last Name,Email,Phone,Email Opt-In,Notes',
    'C1,美玲,陳,meiling@example.org,0912000111,是,',
    'C2,Amy,Lin,amy@example,,yes,"likes ""quotes"", commas"', // invalid email: warning, kept
    'C3,,,,0912000333,no,', // no name or email: error
    'C4,Ben,,ben@example.org,,y,',
    'C1,Dup,,dup@example.org,,,', // duplicate id: error
    ',,,,,,', // blank row: skipped silently
  ].join('\n'),
  'donations.csv': [
    'donation_id,contact_id,date,amount,status,financial_type',
    'D1,C1,113/1/5,"NT$1,000",已完成,',
    'D2,C4,2024-02-01,１，５００,completed,',
    'D3,C4,2024-02-30,500,,', // impossible date: error
    'D4,C9,2024-03-01,500,,', // unknown contact: error
    'D5,C1,2024-03-02,0,,', // zero amount: error
    'D6,C2,2024-03-03,300,maybe,', // bad status: error
    'D7,C2,2024-03-04,300元,refunded,',
  ].join('\n'),
};

let data: string;
let out: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'tidings-data-'));
  out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
  for (const [file, text] of Object.entries(TABS)) await writeFile(join(data, file), text);
});

describe('tidings sync end to end', () => {
  it('reports every bad row with tab/row/column and keeps every good row (exit 0)', async () => {
    const result = await tidings('sync', '--source', `csv:${data}`, '--as-of', '2024-06-30', '--out', out, '--no-backup');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/contacts\s+5\s+3\s+2\s+1/);
    expect(result.stdout).toMatch(/donations\s+7\s+3\s+4\s+0/);
    const problems: Record<string, string>[] = parse(await readFile(join(out, 'private/problems.csv'), 'utf8'), { columns: true, bom: true });
    expect(problems.map((p) => `${p.severity} ${p.tab}!${p.column_letter}${p.row} ${p.column}=${p.value}`)).toEqual([
      'warning contacts!D3 email=amy@example',
      'error contacts!B4 first_name=',
      'error contacts!A6 contact_id=C1',
      'error donations!C4 date=2024-02-30',
      'error donations!B5 contact_id=C9',
      'error donations!D6 amount=0',
      'error donations!E7 status=maybe',
    ]);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(20);
  });

  it('--strict turns row errors into exit 1', async () => {
    const result = await tidings('sync', '--source', `csv:${data}`, '--as-of', '2024-06-30', '--out', out, '--strict', '--no-backup');
    expect(result.code).toBe(1);
  });

  it('a missing required tab or column exits 2 naming it', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'tidings-broken-'));
    await writeFile(join(broken, 'contacts.csv'), TABS['contacts.csv']);
    const noTab = await tidings('sync', '--source', `csv:${broken}`, '--out', out);
    expect(noTab.code).toBe(2);
    expect(noTab.stderr).toMatch(/required tab "donations" is missing/);
    await writeFile(join(broken, 'donations.csv'), 'donation_id,contact_id,amount\nD1,C1,5');
    const noColumn = await tidings('sync', '--source', `csv:${broken}`, '--out', out);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toMatch(/"donations" has no column "date"/);
  });

  it('a bad --as-of or source exits 2 with what to write', async () => {
    expect((await tidings('sync', '--source', `csv:${data}`, '--as-of', 'yesterday', '--out', out)).stderr).toMatch(/--as-of yesterday: write the date as YYYY-MM-DD/);
    expect((await tidings('sync', '--source', 'ftp:x', '--out', out)).code).toBe(2);
  });

  it('every command has --help', async () => {
    for (const command of ['sync', 'run']) {
      const help = await tidings(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/--source <source>[\s\S]*--as-of <date>[\s\S]*--out <dir>/);
    }
  });
});
