import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER, compile } from '../scripts/build-cli.js';

const ROOT = join(import.meta.dirname, '..');

/** The Tidings harnesses the bench runs, by the name of their compiled file. */
const HARNESSES = { 'sync-phases': 'bench/sync-phases.ts', 'tidings-scope': 'bench/tidings-scope.ts' };

export interface Compiled {
  /** The compiled file of a harness, to run with plain node. */
  path(name: keyof typeof HARNESSES): string;
}

/**
 * The bench's Tidings harnesses compiled as the CLI is (scripts/build-cli.js), so the bench times
 * the code `tidings` runs. Run from TypeScript through tsx, each process and its second reading
 * thread compile their code as they start: the thread began reading 0.6 s after it was started,
 * not 0.25 s, inside the time measured. Written to build/bench-<pid>/ (two levels below the root,
 * as the CLI's build is), removed when the bench exits; one left by a bench stopped with Ctrl-C
 * (Node then exits without its exit event) is removed by the next bench.
 */
export async function compiledHarnesses(): Promise<Compiled> {
  removeStopped();
  const dir = join(ROOT, 'build', `bench-${process.pid}`);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  await compile(ROOT, { ...HARNESSES, 'read-ahead-worker': WORKER }, dir);
  return { path: (name) => join(dir, `${name}.js`) };
}

/** Removes the compiled harnesses of benches no longer running (a folder of a running one is kept). */
function removeStopped(): void {
  const build = join(ROOT, 'build');
  for (const name of existsSync(build) ? readdirSync(build) : []) {
    const pid = Number(/^bench-(\d+)$/.exec(name)?.[1]);
    if (pid && !running(pid)) rmSync(join(build, name), { recursive: true, force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
