/**
 * One measured run in its own process (run by bench/run.ts), so each side's CPU time and peak RSS
 * are its own: prints one JSON line { ms, cpuMs, peakRss, rows? }.
 * - tidings-segments DIR ASOF: Tidings on the segments scope — read, parse and validate only the
 *   tabs segments use (settings and SEGMENT_TABS, from a folder that holds only those files), then
 *   every segment's members;
 * - duckdb-segments DIR ASOF: bench/duckdb/segments.sql, the same scope;
 * - duckdb-load-all DIR ASOF: bench/duckdb/load-all.sql, every tab read and normalised.
 * CPU is user + system of the whole process (DuckDB's threads included), over the measured work.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SEGMENTS, evaluateSegment } from '../reports/segments/index.ts';
import { CsvFolderSource } from '../sync/sources/csv.ts';
import { loadDataset } from '../sync/load.ts';
import { duckdbLoadAll, duckdbSegments } from './duckdb/segments.ts';

/** The tabs segments read, as bench/duckdb/segments.sql reads them. */
export const SEGMENT_TABS = ['settings', 'contacts', 'donations', 'recurring', 'events', 'participants'];

async function tidingsSegments(dir: string, asOf: string): Promise<number> {
  const only = await mkdtemp(join(tmpdir(), 'tidings-bench-scope-'));
  try {
    for (const tab of SEGMENT_TABS) await symlink(resolve(dir, `${tab}.csv`), join(only, `${tab}.csv`));
    const { dataset } = await loadDataset(new CsvFolderSource(only), asOf);
    let members = 0;
    for (const s of SEGMENTS) members += evaluateSegment(dataset, asOf, s.id).length;
    return members;
  } finally {
    await rm(only, { recursive: true, force: true });
  }
}

const [part, dir, asOf] = process.argv.slice(2);
const work: Record<string, () => Promise<unknown>> = {
  'tidings-segments': () => tidingsSegments(dir, asOf),
  'duckdb-segments': async () => {
    let members = 0;
    for (const list of (await duckdbSegments(dir, asOf)).members.values()) members += list.length;
    return members;
  },
  'duckdb-load-all': async () => (await duckdbLoadAll(dir, asOf)).rows,
};
if (!work[part]) throw new Error(`bench/scope.ts: unknown part ${part}; one of ${Object.keys(work).join(', ')}`);
const cpu = process.cpuUsage();
const started = performance.now();
const rows = await work[part]();
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, peakRss: process.resourceUsage().maxRSS * 1024, rows }));
