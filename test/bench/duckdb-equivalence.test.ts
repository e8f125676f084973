import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbSegments } from '../../bench/duckdb/segments.ts';
import { SEGMENTS, evaluateSegment } from '../../reports/segments/index.ts';
import { generateSample } from '../../sample/generate.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { validateWorkbook } from '../../sync/validate.ts';

// A mid-sized generated workbook (staff-typed amounts, ROC dates, zh-TW statuses and the planted
// mistakes included), and a copy whose fiscal year starts on 07-01.
const ANCHOR = '2026-11-22';
const scratch = mkdtempSync(join(tmpdir(), 'tidings-duckdb-'));
const calendar = join(scratch, 'calendar');
const july = join(scratch, 'july');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(() => {
  generateSample({ contacts: 2_000, seed: 3, asOf: ANCHOR, out: calendar });
  cpSync(calendar, july, { recursive: true });
  const settings = readFileSync(join(july, 'settings.csv'), 'utf8').replace(/^fiscal_year_start,.*$/m, 'fiscal_year_start,07-01');
  writeFileSync(join(july, 'settings.csv'), settings);
});

async function tidingsMembers(dir: string, asOf: string): Promise<Map<string, string[]>> {
  const { dataset } = validateWorkbook(await new CsvFolderSource(dir).read());
  return new Map(SEGMENTS.map((s) => [s.id, evaluateSegment(dataset, asOf, s.id).map((m) => m.contact_id).sort()]));
}

describe('the segments written as SQL for DuckDB select the same contacts as Tidings', () => {
  const cases = [
    { name: 'at the anchor date', dir: () => calendar, asOf: ANCHOR },
    { name: 'at a month end a year back (clamped month windows; later rows ignored)', dir: () => calendar, asOf: '2025-03-31' },
    { name: 'with a fiscal year starting 07-01', dir: () => july, asOf: ANCHOR },
    { name: 'with a fiscal year starting 07-01, on its first day', dir: () => july, asOf: '2026-07-01' },
  ];
  for (const { name, dir, asOf } of cases) {
    it(name, async () => {
      const tidings = await tidingsMembers(dir(), asOf);
      const duck = await duckdbSegments(dir(), asOf);
      for (const s of SEGMENTS) {
        const expected = tidings.get(s.id)!;
        expect(duck.members.get(s.id) ?? [], s.id).toEqual(expected);
      }
      // Every segment is compared on real members, not on two empty lists.
      const empty = SEGMENTS.filter((s) => tidings.get(s.id)!.length === 0).map((s) => s.id);
      expect(empty.length, `empty segments: ${empty.join(', ')}`).toBeLessThanOrEqual(asOf === ANCHOR ? 0 : 3);
    });
  }
});
