import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvDecoder, FileTooLarge } from '../../sync/sources/csv-decode.ts';
import { CSV_LIMITS, CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { ROOT, tidings } from '../support/cli.ts';

const AS_OF = '2026-11-22';
// The child's heap is capped well below what the machine has: a read that held a 100 MB cell a
// few times over, or millions of rows, dies here instead of passing.
const env = { ...process.env };
beforeAll(() => {
  process.env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --max-old-space-size=1024`.trim();
});
const folders: string[] = [];
afterAll(async () => {
  process.env = env;
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

async function sampleCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-limits-'));
  folders.push(dir);
  await cp(join(ROOT, 'data/sample'), dir, { recursive: true });
  return dir;
}

/** Appends `parts` to a file one at a time (each made when written), so no test holds the whole file. */
async function append(path: string, count: number, part: (i: number) => string): Promise<void> {
  const out = createWriteStream(path, { flags: 'a' });
  for (let i = 0; i < count; i++) if (!out.write(part(i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const sync = (dir: string, ...more: string[]) => tidings('sync', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', join(dir, 'out'), '--no-backup', ...more);

describe('limits on a CSV folder', () => {
  it('a 100 MB cell (quoted, over many lines) stops sync quickly with an error naming the file, row and limit (exit 2)', async () => {
    const dir = await sampleCopy();
    const stories = join(dir, 'stories.csv');
    const rows = (parse(await readFile(stories, 'utf8'), { bom: true }) as string[][]).length;
    const line = `${'這是一段很長的故事 '.repeat(100)}\n`;
    await append(stories, 1, () => 'M-HUGE,1,A pasted book,"');
    await append(stories, Math.ceil((100 * 1024 * 1024) / Buffer.byteLength(line)), () => line);
    await append(stories, 1, () => '",https://example.org,,\n');
    expect((await stat(stories)).size).toBeGreaterThan(100 * 1024 * 1024);
    const started = performance.now();
    const run = await sync(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`stories\\.csv, row ${rows + 1}: the row is longer than 4,000,000 characters \\(a cell in Google Sheets holds at most 50,000\\), so it was not read`));
    expect(run.stderr.length).toBeLessThan(2000);
    expect((performance.now() - started) / 1000).toBeLessThan(120);
  }, 180_000);

  it('a cell over 50,000 characters is a warning naming tab, row and column, and is cut to 50,000 (exit 0)', async () => {
    const dir = await sampleCopy();
    const stories = join(dir, 'stories.csv');
    const records = parse(await readFile(stories, 'utf8'), { bom: true }) as string[][];
    const rows = records.length;
    await append(stories, 1, () => `${records[1][0]},99,Long,${'長'.repeat(60_000)},https://example.org,,\n`);
    const run = await sync(dir);
    expect(run.code).toBe(0);
    const problemsCsv = await readFile(join(dir, 'out/private/problems.csv'), 'utf8');
    expect(problemsCsv.length).toBeLessThan(20_000);
    const problem = (parse(problemsCsv, { columns: true, bom: true }) as Record<string, string>[]).find((p) => /Google Sheets cell/.test(p.message))!;
    expect([problem.tab, problem.row, problem.column, problem.column_letter]).toEqual(['stories', String(rows + 1), 'body', 'D']);
    expect(problem.message).toMatch(/^this cell holds 60,000 characters, more than the 50,000 a Google Sheets cell can hold: only the first 50,000 were read/);
    const { dataset } = await loadDataset(new CsvFolderSource(dir), AS_OF);
    expect(dataset.stories.find((story) => story.title === 'Long')?.body).toBe('長'.repeat(CSV_LIMITS.cellChars));
  });

  it('a tab over 2,000,000 rows stops sync with an error naming the file and the limit (exit 2)', async () => {
    const dir = await sampleCopy();
    // The limit is checked as rows are parsed, before any validation, so a tab staff added of their
    // own (read and backed up, never validated) shows it as any tab would, and cheaply.
    await append(join(dir, 'imported.csv'), 2_002, (i) => (i === 0 ? 'n\n' : `${i}\n`.repeat(1_000)));
    const run = await sync(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/imported\.csv has more than 2,000,000 rows, the limit for one tab .*nothing was used/);
  }, 180_000);

  it('a file over 512 MB stops sync at once with an error naming it and the limit (exit 2)', async () => {
    const dir = await sampleCopy();
    // A sparse file: its size is what counts, and it takes no disk.
    await truncate(join(dir, 'events.csv'), CSV_LIMITS.fileBytes + 1024 * 1024);
    const run = await sync(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/events\.csv is 513 MB, over the limit of 512 MB for one file, so it was not read/);
  });

  it('a .csv.gz is limited by what it unpacks to, counted as the bytes stream out', async () => {
    const unpacked = Buffer.alloc(64 * 1024, 'x');
    const decoder = new CsvDecoder(unpacked.length - 1);
    const failed = pipeline(Readable.from([unpacked]), createGzip(), createGunzip(), decoder, async function* (text) {
      for await (const _ of text) yield;
    });
    await expect(failed).rejects.toBeInstanceOf(FileTooLarge);
    await expect(pipeline(Readable.from([unpacked]), new CsvDecoder(unpacked.length), async function* (text) {
      for await (const _ of text) yield;
    })).resolves.toBeUndefined();
  });
});
