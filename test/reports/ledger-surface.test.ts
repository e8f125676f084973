/**
 * The ledger is asked questions, not indexed: code outside reports/ledger/ imports only its
 * index (the query API), and no segment or KPI file holds a typed array.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../support/cli.ts';

const SOURCE_DIRS = ['sync', 'reports', 'emails', 'site', 'cli', 'bench'];

function sources(dir: string): string[] {
  let found: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) found = found.concat(sources(path));
    else if (/\.tsx?$/.test(e.name)) found = found.concat([path]);
  }
  return found;
}

const files = SOURCE_DIRS.filter((d) => readdirSync(ROOT).includes(d)).flatMap(sources);

test('code outside reports/ledger/ imports the ledger only through its index', () => {
  const reaching = files.filter((file) => !file.startsWith(join('reports', 'ledger')) && /from '[^']*ledger\/(?!index\.ts')[^']*'/.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(reaching).toEqual([]);
});

test('no segment or KPI file holds a typed array', () => {
  const segmentsAndKpis = files.filter((file) => file.startsWith(join('reports', 'segments')) || file === join('reports', 'kpis.ts'));
  expect(segmentsAndKpis.length).toBeGreaterThan(16);
  const typed = segmentsAndKpis.filter((file) => /\b(?:Int8|Uint8|Uint8Clamped|Int16|Uint16|Int32|Uint32|Float32|Float64|BigInt64|BigUint64)Array\b/.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(typed.map((f) => relative('.', f))).toEqual([]);
});
