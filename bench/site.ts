import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './measure.ts';
import { AS_OF } from './workload.ts';

const tidings = (...args: string[]) => runChild(process.execPath, ['bin/tidings.js', ...args]);

/**
 * `tidings build` on a workload's public aggregates: the report runs first (untimed), then the
 * build is timed as a command. The site reads aggregates, never rows, so L should build about as
 * fast as S.
 */
export async function siteBuildMs(dir: string): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'tidings-bench-site-'));
  try {
    const report = await tidings('report', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', out, '--no-backup');
    if (report.code !== 0) throw new Error(`tidings report failed: ${report.stderr}`);
    const build = await tidings('build', '--out', out, '--dist', join(out, 'dist'));
    if (build.code !== 0) throw new Error(`tidings build failed: ${build.stderr}`);
    return build.ms;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
