import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers } from '../scripts/layers.ts';

const root = resolve(import.meta.dirname, '..');

describe('the layers: sync → reports → emails, site → cli, sample/ beside', () => {
  it('hold in this repository: no import against the order, no cycle between folders', () => {
    expect(checkLayers(root)).toEqual([]);
  });
});

describe('the layer check', () => {
  let tree: string;
  const write = (files: Record<string, string>) => {
    tree = mkdtempSync(join(tmpdir(), 'layers-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    return tree;
  };
  afterEach(() => rmSync(tree, { recursive: true, force: true }));

  it('names the file and the import for each one against the order, static, type-only and dynamic', () => {
    write({
      'sync/a.ts': "import { b } from '../reports/b.ts';\nexport const a = b;",
      'sync/deep/c.ts': "import type { E } from '../../emails/e.ts';\nexport const c = async () => import('../../cli/main.ts');",
      'reports/b.ts': "export { e as b } from '../emails/e.ts';",
      'emails/e.ts': "export const e = 1; export type E = number;",
      'site/pages/p.astro': "---\nimport { main } from '../../cli/main.ts';\n---\n<p>import x from '../../cli/not-code.ts'</p>\n<script>import '../../sample/gen.ts';</script>",
      'cli/main.ts': "import { gen } from '../sample/gen.ts';\nexport const main = gen;", // the `sample` command
      'sample/gen.ts': "import { main } from '../cli/main.ts';\nexport const gen = 1;",
      'test/any.test.ts': "import { main } from '../cli/main.ts';\nimport { gen } from '../sample/gen.ts';",
    });
    expect(checkLayers(tree).filter((p) => !p.startsWith('folder cycle'))).toEqual([
      'sync/a.ts → reports/b.ts (sync/ may not import reports/)',
      'sync/deep/c.ts → emails/e.ts (sync/ may not import emails/)',
      'sync/deep/c.ts → cli/main.ts (sync/ may not import cli/)',
      'reports/b.ts → emails/e.ts (reports/ may not import emails/)',
      'site/pages/p.astro → cli/main.ts (site/ may not import cli/)',
      'site/pages/p.astro → sample/gen.ts (site/ may not import sample/)',
    ]);
  });

  it('names a cycle between a file and a folder beside it, with the imports that make it', () => {
    write({
      'sync/sync.ts': "import { LEDGER } from './receipts/ledger.ts';\nexport class UsageError extends Error {}",
      'sync/receipts/ledger.ts': 'export const LEDGER = 1;',
      'sync/receipts/assign.ts': "import { UsageError } from '../sync.ts';",
      // A parent's file using a sub-folder and the sub-folder using another of the parent's files is one-way.
      'cli/main.ts': "import { run } from './commands/run.ts';",
      'cli/commands/run.ts': "import { options } from '../options.ts';",
      'cli/options.ts': 'export const options = 1;',
    });
    expect(checkLayers(tree)).toEqual(['folder cycle sync/receipts ↔ sync/sync.ts:\n  sync/receipts/assign.ts → sync/sync.ts\n  sync/sync.ts → sync/receipts/ledger.ts']);
  });
});
