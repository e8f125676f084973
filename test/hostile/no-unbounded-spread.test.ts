import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';

/**
 * A spread into a call's arguments (`push(...rows)`, `Math.max(...amounts)`) puts every element on
 * the stack: past ~120,000 elements V8 throws "Maximum call stack size exceeded", which is how
 * 160,000 junk unsubscribe submissions stopped the monthly send (issue 15). Array and object
 * literals (`[...a]`, `{ ...o }`) are built on the heap and are fine.
 */
const LAYERS = ['sync', 'reports', 'emails', 'site', 'cli'];

/** Spreads of arrays whose size the code fixes, never user data: `file: source text of the spread`. */
const ALLOWED = new Map<string, string>([
  // The checks declared on one column's zod schema in sync/schema/tabs.ts: a handful at most.
  ['sync/schema/cell.ts: ...def.checks', 'checks of one column schema'],
]);

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|tsx|astro)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(join(entry.parentPath, entry.name));
  }
  return files;
}

/** The TypeScript of a file: an .astro file's frontmatter (between its --- fences), the whole of anything else. */
function scriptOf(path: string, text: string): string {
  if (!path.endsWith('.astro')) return text;
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  return m ? m[1] : '';
}

/** `file: ...expr` for each spread that is an argument of a call or `new`. */
function spreadsIntoCalls(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) && node.parent.arguments?.includes(node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${file}:${line + 1}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no spread of an array into call arguments', () => {
  it('finds the pattern it looks for (push, Math.max, new, Object.assign)', () => {
    const found = spreadsIntoCalls('x.ts', 'a.push(...b); Math.max(1, ...c.map(f)); new Set(...d); Object.assign({}, ...e); const ok = [...a, ...b]; const o = { ...p }; f(g, [...h]);');
    expect(found.map((f) => f.replace(/^x\.ts:\d+: /, ''))).toEqual(['...b', '...c.map(f)', '...d', '...e']);
  });

  it('none in sync/, reports/, emails/, site/ or cli/ but the allowed fixed-size ones', async () => {
    const offending: string[] = [];
    for (const layer of LAYERS) {
      for (const path of await sourceFiles(join(ROOT, layer))) {
        const file = relative(ROOT, path);
        for (const hit of spreadsIntoCalls(file, scriptOf(path, await readFile(path, 'utf8')))) {
          if (!ALLOWED.has(hit.replace(/:\d+:/, ':'))) offending.push(hit);
        }
      }
    }
    expect(offending, 'spread into call arguments: crashes past ~120,000 items; use a loop').toEqual([]);
  });
});
