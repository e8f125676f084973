/**
 * One measured DuckDB run in its own process (run by bench/run.ts), so its CPU time and peak RSS
 * are its own: prints one JSON line { ms, cpuMs, peakRss, rows }.
 * - duckdb-segments DIR ASOF: bench/duckdb/segments.sql, the segments scope (settings and
 *   SEGMENT_TABS → every segment's members), as bench/tidings-scope.ts runs Tidings on it;
 * - duckdb-load-all DIR ASOF: bench/duckdb/load-all.sql, every tab read and normalised.
 * CPU is user + system of the whole process (DuckDB's threads included), over the measured work.
 */
import { duckdbLoadAll, duckdbSegments } from './duckdb/segments.ts';
import { printMeasured } from './measure.ts';

const [part, dir, asOf] = process.argv.slice(2);
const work: Record<string, () => Promise<unknown>> = {
  'duckdb-segments': async () => {
    let members = 0;
    for (const list of (await duckdbSegments(dir, asOf)).members.values()) members += list.length;
    return members;
  },
  'duckdb-load-all': async () => (await duckdbLoadAll(dir, asOf)).rows,
};
if (!work[part]) throw new Error(`bench/scope.ts: unknown part ${part}; one of ${Object.keys(work).join(', ')}`);
await printMeasured(work[part]);
