import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFolderSource } from '../sync/sources/csv.ts';
import { openSource } from '../sync/sources/open.ts';
import { SourceError } from '../sync/sources/source.ts';

describe('--source: a prefix from the table of sources', () => {
  it('opens a CSV folder by its prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sources-'));
    try {
      expect(await openSource(`csv:${dir}`)).toBeInstanceOf(CsvFolderSource);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every kind it knows when the prefix is unknown or a folder is missing', async () => {
    const usage = 'use csv:<folder> or sheets:<spreadsheet id>';
    await expect(openSource('xlsx:book.xlsx')).rejects.toThrow(new SourceError(`unknown source "xlsx:book.xlsx": ${usage}`));
    await expect(openSource('csv:')).rejects.toThrow(`unknown source "csv:": ${usage}`);
    // An own property of the table only: "constructor:" is not a source.
    await expect(openSource('constructor:x')).rejects.toThrow(`unknown source "constructor:x": ${usage}`);
  });

  it('refuses a sheets: target that is no spreadsheet id before loading the Google client', async () => {
    await expect(openSource('sheets:my sheet')).rejects.toThrow('"sheets:my sheet" does not name a spreadsheet');
  });
});
