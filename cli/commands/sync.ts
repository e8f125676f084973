import { Command } from 'commander';
import { goalMetrics } from '../../reports/metrics.ts';
import { segmentCatalog } from '../../reports/segment-catalog.ts';
import { segmentsDir, writeSegments } from '../../reports/segments/write.ts';
import { describeProblem } from '../../sync/problems.ts';
import { openSource } from '../../sync/sources/open.ts';
import { type Synced, formatSummary, loadDataset, writeProblems } from '../../sync/sync.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

const SHOWN_PROBLEMS = 20;

/** Reads, validates, reports problems and writes the private outputs; returns the dataset. */
export async function runSync(options: DataOptions, log: (line: string) => void = console.log): Promise<Synced> {
  const source = await openSource(options.source);
  const synced = await loadDataset(source, options.asOf, goalMetrics(segmentCatalog.definitions));
  log(`sync: ${source.label}, as of ${synced.asOf}`);
  log(formatSummary(synced.summary));
  const problemsPath = await writeProblems(options.out, synced.problems);
  const errors = synced.problems.filter((p) => p.severity === 'error').length;
  const warnings = synced.problems.length - errors;
  for (const p of synced.problems.slice(0, SHOWN_PROBLEMS)) log(`  ${describeProblem(p)}`);
  if (synced.problems.length > SHOWN_PROBLEMS) log(`  … and ${synced.problems.length - SHOWN_PROBLEMS} more`);
  log(`problems: ${errors} errors, ${warnings} warnings → ${problemsPath}`);
  const segments = await writeSegments(options.out, synced.dataset, synced.asOf);
  log(`segments: ${segments.length} segments, rfm.csv and summary.json → ${segmentsDir(options.out)}`);
  if (options.strict && errors > 0) process.exitCode = 1;
  return synced;
}

export const syncCommand = withDataOptions(new Command('sync'))
  .description('read every tab, validate every cell, and write the problems report')
  .option('--strict', 'exit 1 when any row has an error')
  .action(async (options: DataOptions) => {
    await runSync(options);
  });
