/**
 * One sync, phase by phase, in its own process (run by bench/run.ts): prints one JSON line with
 * each phase's wall time, the RSS at its end, and the process's peak RSS by its end, and the whole
 * sync's CPU time (user + system). The kernel's high-water mark (maxrss) only grows, so a phase's
 * peak is the most memory the sync has held up to and including that phase; the last phase's peak
 * is the whole sync's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboard } from '../reports/dashboard/sections.ts';
import { writeDashboard } from '../reports/dashboard/write.ts';
import { fiscalYears } from '../sync/periods.ts';
import { writePublicAggregates } from '../reports/public/write.ts';
import { segmentCatalog } from '../reports/segments/catalog.ts';
import { writeSegments } from '../reports/segments/write.ts';
import type { PartVisitor } from '../sync/sources/source.ts';
import { CsvFolderSource, type TabReader } from '../sync/sources/csv.ts';
import { loadDataset } from '../sync/load.ts';
import { writeProblems } from '../sync/problems-csv.ts';
import { memory, timed } from './measure.ts';

export interface PhaseResult {
  phase: string;
  ms: number;
  rss: number;
  peakRss: number;
}

const [dir, asOf] = process.argv.slice(2);
const cpu = process.cpuUsage();
const out = await mkdtemp(join(tmpdir(), 'tidings-bench-out-'));
const phases: PhaseResult[] = [];
async function phase<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const { ms, value } = await timed(work);
  phases.push({ phase: name, ms, ...memory() });
  return value;
}

// Sync reads and validates a part at a time: validate is the time the main thread spends
// validating the parts as they arrive (or taking in those the second thread read: sync/read-ahead.ts),
// read+parse the rest of the load (both end, and are measured for memory, together).
let validateMs = 0;
class TimedCsvFolder extends CsvFolderSource {
  override readInParts(order: readonly string[], visit: PartVisitor, elsewhere?: TabReader): Promise<void> {
    return super.readInParts(order, (part) => {
      const started = performance.now();
      visit(part);
      validateMs += performance.now() - started;
    }, elsewhere);
  }
}
const source = new TimedCsvFolder(dir);
const loaded = await timed(() => loadDataset(source, asOf));
const { dataset, problems } = loaded.value;
phases.push({ phase: 'read+parse', ms: loaded.ms - validateMs, ...memory() }, { phase: 'validate', ms: validateMs, ...memory() });
await phase('problems', () => writeProblems(out, problems));
await phase('segments', () => writeSegments(out, dataset, asOf));
// What `tidings report` does after sync: the staff dashboard with its CSVs, and the public aggregates.
await phase('reports', async () => {
  const utmPeriod = { start: fiscalYears(asOf, dataset.settings.fiscal_year_start).thisYear.start, end: asOf };
  await writeDashboard(out, buildDashboard(dataset, asOf, { utmPeriod, catalog: segmentCatalog }));
  await writePublicAggregates(out, dataset, asOf, new Date());
});
await rm(out, { recursive: true, force: true });
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ phases, cpuMs: (used.user + used.system) / 1000, rows: { contacts: dataset.contacts.length, donations: dataset.donations.length } }));
