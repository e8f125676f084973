import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../cli/commands/sync.ts';
import { assignReceiptNumbers } from '../../sync/number-receipts.ts';
import { readRegister } from '../../sync/receipts/register.ts';
import { planReceiptNumbers } from '../../sync/receipts/numbering.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import type { PartVisitor, TabPart, WritableSource } from '../../sync/sources/source.ts';
import { ROOT } from '../support/cli.ts';
import { datasetFromCsv, workbookFromCsv } from '../support/workbook.ts';

const AS_OF = '2025-12-31';
const CONTACTS = 'contact_id,first_name\nC1,美玲\nC2,Ben';

/** The numbers the plan hands out, as donation_id=receipt_no, and its problems as tab!row: message. */
function plan(donations: string, extra: Record<string, string> = {}) {
  const { dataset } = datasetFromCsv({ contacts: CONTACTS, donations, ...extra });
  const ledger = readRegister(workbookFromCsv({ _receipts: extra._receipts ?? 'receipt_no,donation_id' }));
  const result = planReceiptNumbers(dataset, ledger.rows, AS_OF);
  return {
    numbers: result.assignments.map((a) => `${a.donation_id}=${a.receipt_no}`),
    problems: result.problems.map((p) => `${p.tab}!${p.row}: ${p.message}`),
  };
}

describe('planning receipt numbers', () => {
  it('numbers completed gifts in date order, one sequence per fiscal year; memberships, pending and refunds get none', () => {
    const { numbers, problems } = plan(`donation_id,contact_id,date,amount,status,financial_type,receipt_no
      D1,C1,2024-03-01,500,,,
      D2,C1,2024-01-15,500,completed,,
      D3,C2,2024-02-01,800,已完成,membership,
      D4,C2,2024-02-02,800,pending,,
      D5,C2,2024-02-03,800,refunded,,
      D6,C2,2025-01-01,900,,,
      D7,C2,2026-01-01,900,,,`);
    expect(numbers).toEqual(['D2=2024-00001', 'D1=2024-00002', 'D6=2025-00001']); // D7 is after the as-of date
    expect(problems).toEqual([]);
  });

  it('resets on the first day of a fiscal year that starts on 07-01, using the 2024/25 label', () => {
    const { numbers } = plan(`donation_id,contact_id,date,amount
      D1,C1,2024-06-30,100
      D2,C1,2024-07-01,100
      D3,C1,2025-01-05,100
      D4,C1,2025-06-30,100
      D5,C1,2025-07-01,100`, { settings: 'key,value\nfiscal_year_start,07-01\nreceipt_prefix,RN-\nreceipt_format,{year}-{seq:04}' });
    expect(numbers).toEqual(['D1=RN-2023/24-0001', 'D2=RN-2024/25-0001', 'D3=RN-2024/25-0002', 'D4=RN-2024/25-0003', 'D5=RN-2025/26-0001']);
  });

  it('continues after the highest number ever used: a refunded gift and a deleted one (in the ledger) keep theirs', () => {
    const { numbers, problems } = plan(`donation_id,contact_id,date,amount,status,receipt_no
      D1,C1,2024-01-01,100,,2024-00001
      D2,C1,2024-01-02,100,refunded,2024-00002
      D4,C1,2024-05-01,100,,`, { _receipts: 'receipt_no,donation_id,run\n2024-00001,D1,a\n2024-00002,D2,a\n2024-00003,D3,a' });
    expect(numbers).toEqual(['D4=2024-00004']);
    expect(problems).toEqual([expect.stringMatching(/^_receipts!4: receipt number 2024-00003 was issued to donation D3, which is no longer in donations: the number stays void/)]);
  });

  it('reports a gap and a duplicate where they are, and leaves numbers in other styles alone', () => {
    const { numbers, problems } = plan(`donation_id,contact_id,date,amount,receipt_no
      D1,C1,2024-01-01,100,2024-00001
      D2,C1,2024-01-02,100,2024-00004
      D3,C2,2024-01-03,100,2024-00001
      D4,C2,2024-01-04,100,手開-0007
      D6,C2,2024-01-04,100,2024-000009
      D5,C2,2024-01-05,100,`);
    expect(numbers).toEqual(['D5=2024-00005']); // 2024-000009 is another padding: not in the sequence
    expect(problems).toEqual([
      expect.stringMatching(/^donations!4: receipt number 2024-00001 is also on donation D1 \(row 2\)/),
      expect.stringMatching(/^donations!3: receipt number 2024-00002 to 2024-00003 is missing in the 2024 sequence/),
    ]);
  });

  it('writes the number a stopped run claimed in the ledger instead of a new one', () => {
    const { numbers } = plan(`donation_id,contact_id,date,amount,receipt_no
      D1,C1,2024-01-01,100,
      D2,C1,2024-01-02,100,`, { _receipts: 'receipt_no,donation_id,run\n2024-00001,D2,a\n2024-00001,D1,b' });
    // The first claim of 2024-00001 (for D2) holds; the second row collided and means nothing.
    expect(numbers).toEqual(['D1=2024-00002', 'D2=2024-00001']);
  });
});

const HEADER = 'donation_id,contact_id,date,amount,status,financial_type,receipt_no';
const gifts = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `D${from + i},C${(i % 2) + 1},2024-0${(i % 9) + 1}-1${i % 10},${100 + i},,,`);

async function folder(donationRows: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-receipts-'));
  await writeFile(join(dir, 'contacts.csv'), CONTACTS);
  await writeFile(join(dir, 'donations.csv'), [HEADER, ...donationRows].join('\n'));
  return dir;
}

async function receiptNumbers(dir: string): Promise<Map<string, string>> {
  const rows: Record<string, string>[] = parse(await readFile(join(dir, 'donations.csv'), 'utf8'), { columns: true, bom: true });
  return new Map(rows.map((r) => [r.donation_id, r.receipt_no]));
}

/** Every gift has a number, no number is on two gifts, and 2024's sequence is 1..n. */
function expectUniqueAndContiguous(numbers: Map<string, string>, count: number) {
  const values = [...numbers.values()];
  expect(values.every(Boolean)).toBe(true);
  expect(new Set(values).size).toBe(values.length);
  expect(values.map((v) => Number(v.slice(5))).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
}

describe('writing receipt numbers back', () => {
  it('sync --assign-receipts writes them once, and never reuses the number of a deleted gift', async () => {
    const dir = await folder(['D1,C1,2024-01-01,100,,,', 'D2,C1,2024-01-02,100,,,', 'D3,C2,2024-01-03,100,,membership,']);
    const out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
    // In this process (the commands' own code, without a Node start-up each): the CLI itself is tested in cli-sync.test.ts.
    const sync = async (assignReceipts: boolean) => {
      const lines: string[] = [];
      await runSync({ source: `csv:${dir}`, asOf: AS_OF, out, assignReceipts, backup: false }, (l) => lines.push(l));
      return lines.join('\n');
    };
    expect(await sync(true)).toMatch(/receipt numbers: 2 assigned \(2024-00001 … 2024-00002\)/);
    expect(await receiptNumbers(dir)).toEqual(new Map([['D1', '2024-00001'], ['D2', '2024-00002'], ['D3', '']]));
    expect(await sync(true)).toMatch(/receipt numbers: every gift has one/);

    // Staff delete D2 (the highest number) and enter a new gift.
    await writeFile(join(dir, 'donations.csv'), [HEADER, 'D1,C1,2024-01-01,100,,,2024-00001', 'D4,C1,2024-02-01,100,,,'].join('\n'));
    expect(await sync(false)).toMatch(/receipt numbers: 1 gifts have none yet/);
    expect((await receiptNumbers(dir)).get('D4')).toBe(''); // without the option nothing is written
    await sync(true);
    expect((await receiptNumbers(dir)).get('D4')).toBe('2024-00003');
    const problems = await readFile(join(out, 'private/problems.csv'), 'utf8');
    expect(problems).toMatch(/_receipts,3,receipt_no.*2024-00002 was issued to donation D2, which is no longer in donations/);
  });

  it('two runs that planned different numbers at the same moment still never share one', async () => {
    const dir = await folder(gifts(6, 10));
    const shared = new CsvFolderSource(dir);
    // Both runs read before either claims; staff add an earlier gift between the two reads, so
    // the runs plan different numbers for the same gifts.
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const racing = (): WritableSource => Object.assign(Object.create(shared) as CsvFolderSource, {
      async readInParts(order: readonly string[], visit: PartVisitor) {
        const parts: TabPart[] = [];
        await shared.readInParts(order, (part) => parts.push(part));
        // Replaced atomically, as a spreadsheet app saves, so the other run's read sees the old or the new file.
        if (++reads === 1) {
          await writeFile(join(dir, 'donations.csv.new'), [HEADER, 'D1,C1,2024-01-01,50,,,', ...gifts(6, 10)].join('\n'));
          await rename(join(dir, 'donations.csv.new'), join(dir, 'donations.csv'));
        }
        if (reads === 2) release();
        await bothRead;
        for (const part of parts) visit(part);
      },
    });
    await Promise.all([assignReceiptNumbers(racing(), AS_OF), assignReceiptNumbers(racing(), AS_OF)]);
    expectUniqueAndContiguous(await receiptNumbers(dir), 7);
  });

  it('two sync processes on one CSV folder at once, while staff add gifts, lose no write and hand out each number once', async () => {
    const dir = await folder(gifts(60, 100));
    const out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
    const sync = () => new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/tidings.js'), 'sync', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', out, '--assign-receipts'], { cwd: ROOT, stdio: 'ignore' });
      child.on('exit', (code) => resolve(code ?? 1));
    });
    // Early-dated gifts keep arriving, so the two runs plan different numbers for the same gifts.
    const runs = Promise.all([sync(), sync()]);
    let done = false;
    void runs.then(() => (done = true));
    const staff = new CsvFolderSource(dir);
    let added = 0;
    while (!done) {
      added++;
      await staff.appendRows('donations', HEADER.split(','), [{ donation_id: `E${added}`, contact_id: 'C1', date: '2024-01-01', amount: '10' }]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await runs).toEqual([0, 0]);
    await runSync({ source: `csv:${dir}`, asOf: AS_OF, out, assignReceipts: true, backup: false }, () => {});
    const numbers = await receiptNumbers(dir);
    // No write lost another's: every gift staff added is still there, and numbered.
    expect(numbers.size).toBe(60 + added);
    expectUniqueAndContiguous(numbers, numbers.size);
  });
});
