/**
 * The layer check: reads every source file's imports (static, `export … from` and dynamic
 * `import()`) and names each one that goes against the pipeline's direction,
 *   sync/ → reports/ → emails/, site/ → cli/,
 * each one that reaches into sample/ from below the command line, and every cycle between folders.
 * `tsx scripts/layers.ts` prints them and exits 1; test/layers.test.ts runs it on the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The pipeline's folders, and what each may not import. The data generator (sample/) stands beside
 * the pipeline: only the command line (its `sample` command), the benchmark and tests use it.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  sync: ['reports', 'emails', 'site', 'cli', 'sample'],
  reports: ['emails', 'site', 'cli', 'sample'],
  emails: ['cli', 'sample'],
  site: ['cli', 'sample'],
  cli: [],
};
/** Free to import anything: the data generator, the benchmark, tests, scripts. */
const CHECKED_TOPS = [...Object.keys(FORBIDDEN), 'sample', 'bench', 'test', 'scripts'];
const EXTENSIONS = new Set(['.ts', '.tsx', '.astro', '.mjs']);

export interface Import {
  /** Both relative to the root, with forward slashes. */
  from: string;
  to: string;
}

const slash = (path: string) => path.split(sep).join('/');
const top = (path: string) => path.split('/')[0];

function* sourceFiles(root: string, dir: string): Generator<string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) yield* sourceFiles(root, path);
    else if (entry.isFile() && EXTENSIONS.has(extname(entry.name))) yield path;
  }
}

/** The script parts of an .astro file: the frontmatter and each <script>; the markup imports nothing. */
function astroScripts(text: string): string {
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return [frontmatter, ...scripts].join('\n');
}

/** What a file imports by relative path (packages are outside the layers), resolved against the root. */
function importsOf(root: string, file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  // TypeScript's own pre-processor: it finds import, export-from, import() and require() without a full parse.
  const { importedFiles } = ts.preProcessFile(file.endsWith('.astro') ? astroScripts(text) : text, true, true);
  return importedFiles
    .filter(({ fileName }) => fileName.startsWith('.'))
    .map(({ fileName }) => ({ from: file, to: slash(relative(root, resolve(root, dirname(file), fileName))) }));
}

export function readImports(root: string): Import[] {
  const imports: Import[] = [];
  for (const dir of CHECKED_TOPS.filter((d) => existsSync(join(root, d)))) {
    for (const file of sourceFiles(root, dir)) for (const i of importsOf(root, file)) imports.push(i);
  }
  return imports;
}

/** Imports against the layer order, as "file → import (why)". */
export function layerViolations(imports: readonly Import[]): string[] {
  return imports
    .filter(({ from, to }) => FORBIDDEN[top(from)]?.includes(top(to)))
    .map(({ from, to }) => `${from} → ${to} (${top(from)}/ may not import ${top(to)}/)`);
}

/**
 * Where an import crosses in the folder tree: below the folder that holds both ends, the entry
 * (a file, or a sub-folder as a whole) it leaves and the one it enters.
 */
function crossing({ from, to }: Import): [string, string] {
  const a = from.split('/');
  const b = to.split('/');
  let k = 0;
  while (a[k] === b[k]) k++;
  return [a.slice(0, k + 1).join('/'), b.slice(0, k + 1).join('/')];
}

/**
 * Cycles between folders: within each folder, its files and sub-folders (each taken whole) must
 * import one another one way only, so the tree reads in levels. A group of entries that import
 * one another round in a circle (strongly connected, by Tarjan's algorithm) and holds a folder is
 * a cycle; only the pipeline's files count (tests and tools may import anything).
 */
export function folderCycles(imports: readonly Import[]): { entries: string[]; imports: Import[] }[] {
  const inPipeline = (path: string) => top(path) in FORBIDDEN;
  const edges = imports.filter(({ from, to }) => inPipeline(from) && inPipeline(to)).map((i) => ({ i, ends: crossing(i) }));
  const next = new Map<string, Set<string>>();
  for (const { ends: [a, b] } of edges) next.set(a, (next.get(a) ?? new Set()).add(b));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (entry: string) => {
    index.set(entry, index.size);
    low.set(entry, index.get(entry)!);
    stack.push(entry);
    for (const to of next.get(entry) ?? []) {
      if (!index.has(to)) visit(to);
      if (stack.includes(to)) low.set(entry, Math.min(low.get(entry)!, low.get(to)!));
    }
    if (low.get(entry) !== index.get(entry)) return;
    const group = stack.splice(stack.indexOf(entry));
    if (group.length > 1 && group.some((e) => !EXTENSIONS.has(extname(e)))) groups.push(group.sort());
  };
  for (const entry of [...next.keys()].sort()) if (!index.has(entry)) visit(entry);
  return groups.map((entries) => ({
    entries,
    imports: edges.filter(({ ends: [a, b] }) => entries.includes(a) && entries.includes(b)).map(({ i }) => i),
  }));
}

/** Everything wrong with the repository at `root`, one line each; empty when the layers hold. */
export function checkLayers(root: string): string[] {
  const imports = readImports(root);
  const cycles = folderCycles(imports).map(
    (cycle) => `folder cycle ${cycle.entries.join(' ↔ ')}:${cycle.imports.map(({ from, to }) => `\n  ${from} → ${to}`).join('')}`,
  );
  return [...layerViolations(imports), ...cycles];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkLayers(resolve(import.meta.dirname, '..'));
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}
