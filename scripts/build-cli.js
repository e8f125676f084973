// The CLI runs as JavaScript compiled by esbuild into build/ (README, Performance: Start-up):
// through tsx, every command paid ~0.3 s more before it began. The build is never stale: it
// records the size and modification time of every file it compiled, and `builtEntry` builds
// again when any of them differs, before running anything. `node scripts/build-cli.js` builds
// now (npm install runs it as `prepare`).
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILDER = fileURLToPath(import.meta.url);
/** Files that change the output without being compiled themselves (paths from the root, or absolute). */
const SETTINGS = ['package.json', 'tsconfig.json', BUILDER];
/** A build another process may still be loading modules from is kept this long after it is replaced. */
const KEEP_OLD_MS = 24 * 3600 * 1000;

/** @param {string} root @param {string} file */
function stamp(root, file) {
  const s = statSync(resolve(root, file));
  return `${s.size}:${s.mtimeMs}`;
}

/**
 * The compiled CLI's entry file, built first when missing or older than any of its sources.
 * @param {string} root the project whose cli/tidings.ts is compiled (tests pass another)
 */
export async function builtEntry(root = ROOT) {
  const buildDir = join(root, 'build');
  const manifestPath = join(buildDir, 'manifest.json');
  try {
    /** @type {{ dir: string, inputs: Record<string, string> }} */
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (Object.entries(manifest.inputs).every(([file, was]) => stamp(root, file) === was)) return join(buildDir, manifest.dir, 'tidings.js');
  } catch {
    // No build yet, or a source was removed: build.
  }
  return build(root);
}

/**
 * Compiles cli/tidings.ts and everything it imports (packages stay imports of node_modules),
 * split into chunks so each command loads only its own code. Each build goes to a folder of its
 * own, two levels below the root like cli/commands/ (code that finds files from its own URL still
 * finds them), and the manifest is replaced in one rename: processes building at once, or running
 * the previous build, never see a half-written one.
 */
export async function build(root = ROOT) {
  const buildDir = join(root, 'build');
  const manifestPath = join(buildDir, 'manifest.json');
  const { build: esbuild } = await import('esbuild');
  const started = Date.now();
  const dir = `cli-${started}-${process.pid}`;
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: { tidings: 'cli/tidings.ts' },
    outdir: join(buildDir, dir),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
  });
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...SETTINGS]) {
    // A file saved while esbuild was reading it may be compiled half old: stamp it so the next run builds again.
    inputs[file] = statSync(resolve(root, file)).mtimeMs >= started ? 'changed during the build' : stamp(root, file);
  }
  const temporary = `${manifestPath}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify({ dir, inputs }));
  renameSync(temporary, manifestPath);
  for (const old of readdirSync(buildDir)) {
    if (old.startsWith('cli-') && old !== dir && statSync(join(buildDir, old)).mtimeMs < started - KEEP_OLD_MS) rmSync(join(buildDir, old), { recursive: true, force: true });
  }
  return join(buildDir, dir, 'tidings.js');
}

if (process.argv[1] === BUILDER) console.log(`tidings: built ${await build()}`);
