import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntry } from '../../scripts/build-cli.js';
import { ROOT, tidings } from '../support/cli.ts';

/** Every module file the real bin loads for these arguments (Node's resolve hook, as file URLs). */
function loaded(...args: string[]): string[] {
  const hook = "import { registerHooks } from 'node:module'; registerHooks({ resolve(s, c, next) { const r = next(s, c); process.stderr.write('loaded ' + r.url + '\\n'); return r; } });";
  const child = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, join(ROOT, 'bin/tidings.js'), ...args], { encoding: 'utf8', cwd: ROOT });
  expect(child.status).toBe(0);
  return [...child.stderr.matchAll(/^loaded (file:.*)$/gm)].map((m) => m[1]);
}

/** The compiled CLI (bin/tidings.js → build/) must never run older code than the sources. */
describe('the compiled CLI', () => {
  let root: string;
  const run = (entry: string) => execFileSync(process.execPath, [entry], { encoding: 'utf8' }).trim();
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tidings-build-'));
    await mkdir(join(root, 'cli'));
    await writeFile(join(root, 'package.json'), '{ "type": "module" }');
    await writeFile(join(root, 'tsconfig.json'), '{ "compilerOptions": { "jsx": "react-jsx" } }');
    await writeFile(join(root, 'cli/tidings.ts'), "import { word } from './word.ts';\nconst greet = (w: string): string => `hello ${w}`;\nconsole.log(greet(word));\n");
    await writeFile(join(root, 'cli/word.ts'), "export const word: string = 'one';\n");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is built on first use, reused while nothing changed, and rebuilt when any imported source changes', async () => {
    const first = await builtEntry(root);
    expect(run(first)).toBe('hello one');
    expect(await builtEntry(root)).toBe(first);
    // An imported file, not the entry: the build knows every file it compiled.
    await writeFile(join(root, 'cli/word.ts'), "export const word: string = 'two';\n");
    const second = await builtEntry(root);
    expect(second).not.toBe(first);
    expect(run(second)).toBe('hello two');
    // A setting that changes the output (tsconfig) also counts.
    await writeFile(join(root, 'tsconfig.json'), '{ "compilerOptions": { "jsx": "react-jsx", "strict": true } }');
    expect(await builtEntry(root)).not.toBe(second);
  });

  it('lists every command in --help, and loads a command in full only when it is named', async () => {
    const help = await tidings('--help');
    expect(help.code).toBe(0);
    for (const name of ['sync', 'report', 'run', 'segments', 'export', 'email', 'send', 'init-sheet', 'forget', 'compact', 'sample', 'build', 'receipts', 'doctor']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(help.stdout).toContain('read every tab, validate every cell');
    const sync = await tidings('sync', '--help');
    expect(sync.stdout).toContain('read every tab, validate every cell');
    expect(sync.stdout).toContain('--no-write-back');
    const segments = await tidings('help', 'segments');
    expect(segments.stdout).toContain('--min-amount');
  });

  it('loads no package for --help, and for sync only what sync uses (no Astro, React, PDF or Google client)', () => {
    const help = loaded('--help');
    expect(help.some((url) => url.includes('/build/'))).toBe(true);
    expect(help.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    const sync = loaded('sync', '--help');
    expect(sync.length).toBeGreaterThan(help.length);
    for (const heavy of ['/astro/', '/react/', '/react-dom/', '/@react-email/', '/pdfkit/', '/@googleapis/', '/@faker-js/']) {
      expect(sync.filter((url) => url.includes(heavy))).toEqual([]);
    }
  });
});
