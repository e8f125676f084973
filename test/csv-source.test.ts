import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { CsvFolderSource } from '../sync/sources/csv.ts';
import type { TabPart } from '../sync/sources/source.ts';

let dir: string;
let source: CsvFolderSource;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-csv-'));
  source = new CsvFolderSource(dir);
});

describe('reading a CSV folder', () => {
  it('reads each <tab>.csv (with or without BOM, any case, gzipped snapshots too) keeping cells as text', async () => {
    await writeFile(join(dir, 'Contacts.csv'), '\uFEFFcontact_id,phone\nC1,0912000111\n');
    await writeFile(join(dir, 'donations.csv.gz'), gzipSync('donation_id,contact_id,date,amount\nD1,C1,2024-01-05,"1,000"\n'));
    await writeFile(join(dir, 'notes.txt'), 'not a tab');
    const workbook = await source.read();
    expect([...workbook.keys()]).toEqual(['contacts', 'donations']);
    expect(workbook.get('contacts')).toEqual({ name: 'Contacts', header: ['contact_id', 'phone'], rows: [['C1', '0912000111']] });
    expect(workbook.get('donations')?.rows).toEqual([['D1', 'C1', '2024-01-05', '1,000']]);
  });

  it('hands a large tab over in parts, in row order, with the same cells as a whole read', async () => {
    // Over a megabyte, with cells that span lines and characters of several bytes, so parts split inside them.
    const rows = Array.from({ length: 50_000 }, (_, i) => [`C${i + 1}`, i % 97 === 0 ? '台北市\n大安區, "和平東路"' : `林小${i}`, i % 5 === 0 ? '' : 'volunteer;newsletter']);
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    await writeFile(join(dir, 'contacts.csv'), `\uFEFFcontact_id,city,tag\r\n${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n\r\n`);
    await writeFile(join(dir, 'settings.csv'), 'key,value\n');
    const parts: TabPart[] = [];
    await source.readInParts(['settings'], (part) => parts.push(part));
    expect(parts[0]).toMatchObject({ key: 'settings', header: ['key', 'value'], rows: [], first: 0 });
    const contacts = parts.slice(1);
    expect(contacts.length).toBeGreaterThan(1);
    expect(contacts.every((p) => p.key === 'contacts' && p.header.join() === 'contact_id,city,tag')).toBe(true);
    expect(contacts.map((p) => p.first)).toEqual(contacts.map((_, i) => contacts.slice(0, i).reduce((n, p) => n + p.rows.length, 0)));
    expect(contacts.flatMap((p) => p.rows)).toEqual(rows);
    expect((await source.read()).get('contacts')?.rows).toEqual(rows);
  });

  it('a quote that is never closed stops the read, naming the file and row', async () => {
    await writeFile(join(dir, 'contacts.csv'), 'contact_id,first_name\nC1,Amy\nC2,"Bo\nC3,Cy\n');
    await expect(source.read()).rejects.toThrow(/^contacts\.csv, row 3: a quoted cell is never closed .*correct the quotes in that row/);
    await writeFile(join(dir, 'contacts.csv'), `contact_id,first_name\n${'C1,Amy\n'.repeat(40_000)}C2,"Bo\n`);
    await expect(source.readInParts([], () => {})).rejects.toThrow(/^contacts\.csv, row 40002: a quoted cell/);
  });

  it('a damaged snapshot file is a clear error naming it', async () => {
    await writeFile(join(dir, 'contacts.csv.gz'), 'not gzipped at all');
    await expect(source.read()).rejects.toThrow(/^contacts\.csv\.gz cannot be read \(.*\): replace it with a good copy/);
  });

  it('a missing folder is a clear error', async () => {
    await expect(new CsvFolderSource(join(dir, 'nope')).read()).rejects.toThrow(/cannot read the folder .*nope/);
  });
});

describe('writing back to a CSV folder', () => {
  it('updates a cell on the row found by id at write time, even after staff moved rows', async () => {
    await writeFile(join(dir, 'donations.csv'), 'donation_id,amount,receipt_no\nD1,100,\nD2,200,\n');
    // Staff sort the sheet and insert a row between the read and the write.
    await writeFile(join(dir, 'donations.csv'), 'donation_id,amount,receipt_no\nD9,900,\nD2,200,\nD1,100,\n');
    const result = await source.updateCells('donations', 'donation_id', [
      { id: 'D1', column: 'receipt_no', value: '2024-00001', onlyIfBlank: true },
      { id: 'D3', column: 'receipt_no', value: '2024-00002', onlyIfBlank: true },
    ]);
    expect(result.written).toBe(1);
    expect(result.refusedMissingId.map((u) => u.id)).toEqual(['D3']);
    expect(await readFile(join(dir, 'donations.csv'), 'utf8')).toBe(
      '\uFEFFdonation_id,amount,receipt_no\nD9,900,\nD2,200,\nD1,100,2024-00001\n',
    );
  });

  it('never overwrites a cell staff filled in when onlyIfBlank', async () => {
    await writeFile(join(dir, 'donations.csv'), 'donation_id,receipt_no\nD1,HAND-7\n');
    const result = await source.updateCells('donations', 'donation_id', [{ id: 'D1', column: 'receipt_no', value: 'X', onlyIfBlank: true }]);
    expect(result).toMatchObject({ written: 0, skippedNotBlank: [expect.objectContaining({ id: 'D1' })] });
    expect(await readFile(join(dir, 'donations.csv'), 'utf8')).toContain('D1,HAND-7');
  });

  it('appends rows by column name, creating the tab or missing columns, keeping other cells intact', async () => {
    await source.appendRows('email_events', ['message_id', 'mailing_id'], [{ message_id: 'm1', mailing_id: 'M1' }]);
    await source.appendRows('email_events', ['message_id', 'mailing_id'], [{ mailing_id: 'M1', message_id: 'm2', last_event: 'sent' }]);
    const tab = (await source.read()).get('email_events');
    expect(tab?.header).toEqual(['message_id', 'mailing_id', 'last_event']);
    expect(tab?.rows).toEqual([['m1', 'M1'], ['m2', 'M1', 'sent']]);
  });

  it('replaces tool tabs wholesale and deletes rows by value', async () => {
    await source.replaceTab('_problems', ['tab', 'row'], [['contacts', 3]]);
    await source.replaceTab('_problems', ['tab', 'row'], [['donations', 9]]);
    expect((await source.read()).get('_problems')?.rows).toEqual([['donations', '9']]);
    await writeFile(join(dir, 'participants.csv'), 'event_id,contact_id\nE1,C1\nE1,C2\nE2,C1\n');
    expect(await source.deleteRows('participants', 'contact_id', ['C1'])).toBe(2);
    expect((await source.read()).get('participants')?.rows).toEqual([['E1', 'C2']]);
  });

  it('leaves no temporary files behind', async () => {
    await source.replaceTab('x', ['a'], [['1']]);
    expect(await readdir(dir)).toEqual(['x.csv']);
  });
});

describe('write-back defaults', () => {
  it('sync leaves a CSV folder untouched unless --write-back is given', async () => {
    const { runSync } = await import('../cli/commands/sync.ts');
    await writeFile(join(dir, 'contacts.csv'), 'contact_id,first_name\nC1,Amy\nC2,\n');
    await writeFile(join(dir, 'donations.csv'), 'donation_id,contact_id,date,amount\n');
    const out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
    const options = { source: `csv:${dir}`, asOf: '2024-06-30', out, backup: false };
    await runSync(options, () => {});
    expect(await readdir(dir)).toEqual(['contacts.csv', 'donations.csv']);
    await runSync({ ...options, writeBack: true }, () => {});
    expect(await readdir(dir)).toEqual(['_problems.csv', '_segments.csv', 'contacts.csv', 'donations.csv']);
    expect(await readFile(join(dir, '_problems.csv'), 'utf8')).toContain('contacts,3,first_name');
  });
});
