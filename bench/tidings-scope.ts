/**
 * Tidings on the segments scope, measured in its own process (run by bench/run.ts, compiled as the
 * CLI is): read, parse and validate only the tabs segments use (settings and SEGMENT_TABS, from a
 * folder that holds only those files), then every segment's members. Prints one JSON line
 * { ms, cpuMs, peakRss, rows }, as bench/scope.ts does for DuckDB on the same scope.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SEGMENTS, evaluateSegment } from '../reports/segments/index.ts';
import { CsvFolderSource } from '../sync/sources/csv.ts';
import { loadDataset } from '../sync/load.ts';
import { printMeasured } from './measure.ts';

/** The tabs segments read, as bench/duckdb/segments.sql reads them. */
const SEGMENT_TABS = ['settings', 'contacts', 'donations', 'recurring', 'events', 'participants'];

const [dir, asOf] = process.argv.slice(2);
await printMeasured(async () => {
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
});
