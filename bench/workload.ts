/**
 * Workload L (50,000 contacts, seed 1) is generated once into bench/.cache/ (gitignored), keyed by
 * a hash of the generator's source, so a changed generator means a fresh workload; generating it
 * takes over a minute. Workload S is the committed sample.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runChild } from './measure.ts';

export const AS_OF = '2026-11-22';
export const SMALL = 'data/sample';

function generatorVersion(): string {
  const hash = createHash('sha256');
  for (const dir of ['sample', 'sync/schema']) {
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The folder of the generated workload, generating it (with `tidings sample`) when it is not cached. */
export async function largeWorkload(contacts = 50_000, seed = 1, log: (line: string) => void = console.error): Promise<string> {
  const dir = join('bench', '.cache', `L-${contacts}-seed${seed}-${AS_OF}-${generatorVersion()}`);
  if (existsSync(dir)) return dir;
  log(`generating workload L (${contacts} contacts, seed ${seed}) into ${dir} …`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const { code, stderr } = await runChild(process.execPath, ['bin/tidings.js', 'sample', '--contacts', String(contacts), '--seed', String(seed), '--as-of', AS_OF, '--out', partial]);
  if (code !== 0) throw new Error(`tidings sample failed: ${stderr}`);
  renameSync(partial, dir);
  return dir;
}
