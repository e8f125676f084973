// The CLI runs as JavaScript compiled by esbuild into build/ (README, Performance: Start-up):
// tsx compiles (or reads from its cache) every file on every start, and each command's code in
// one set of chunks loads faster than hundreds of separate modules. The build is never stale: it
// records the size and modification time of every file it compiled, and `builtEntry` builds
// again when any of them differs, before running anything. `node scripts/build-cli.js` builds
// now (npm install runs it as `prepare`).
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILDER = fileURLToPath(import.meta.url);
/** Files that change the output without being compiled themselves (paths from the root, or absolute). */
const SETTINGS = ['package.json', 'package-lock.json', 'tsconfig.json', BUILDER];
/**
 * Packages compiled into the build rather than imported from node_modules: the small, pure
 * JavaScript ones every data command loads. Node resolves and reads each file of a package on its
 * own (zod alone is dozens), which was most of `tidings sync --help`'s 1 s of CPU; one chunk of
 * them is read at once (0.4 s). Packages that find their own files on disk (fonts, templates,
 * Astro, Vite) or are large and loaded only by some commands stay imports.
 */
const BUNDLED = new Set(['commander', 'zod', 'papaparse', 'libphonenumber-js', 'i18n-iso-countries', 'date-fns', '@date-fns/tz', '@date-fns/utc', 'iconv-lite', 'csv-stringify', 'resend']);
/** @param {string} specifier */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** The second reading thread's entry (sync/read-ahead.ts starts it from beside the chunk that imports it). */
export const WORKER = 'sync/read-ahead-worker.ts';

/** A build another process may still be loading modules from is kept this long after it is replaced. */
const KEEP_OLD_MS = 24 * 3600 * 1000;

/** @param {string} root @param {string} file */
function stamp(root, file) {
  const s = statSync(resolve(root, file), { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}` : 'absent';
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
    // No build yet (or an unreadable manifest): build.
  }
  return build(root);
}

/**
 * Compiles `entryPoints` (name → source file, from `root`) and everything they import into
 * `outdir` as the CLI is compiled: ES module chunks shared between entries, the BUNDLED packages
 * inside, the rest imports of node_modules. `outdir` should be two levels below the root, as
 * build/<dir>/ is, so code that finds files from its own URL finds them. The bench compiles its
 * Tidings harnesses with it, so it measures the code the CLI runs.
 * @param {string} root @param {Record<string, string>} entryPoints @param {string} outdir
 */
export async function compile(root, entryPoints, outdir) {
  const { build: esbuild } = await import('esbuild');
  return esbuild({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    metafile: true,
    // CommonJS packages compiled into ES modules still call require() for Node's own modules.
    banner: { js: "import { createRequire as __tidingsRequire } from 'node:module'; const require = __tidingsRequire(import.meta.url);" },
    plugins: [{
      name: 'packages-as-imports',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, ({ path }) => (BUNDLED.has(packageOf(path)) ? undefined : { path, external: true }));
      },
    }],
    logLevel: 'warning',
  });
}

/**
 * Compiles cli/tidings.ts and everything it imports (most packages stay imports of node_modules: see BUNDLED),
 * split into chunks so each command loads only its own code. Each build goes to a folder of its
 * own, two levels below the root like cli/commands/ (code that finds files from its own URL still
 * finds them), and the manifest is replaced in one rename: processes building at once, or running
 * the previous build, never see a half-written one.
 */
export async function build(root = ROOT) {
  const buildDir = join(root, 'build');
  const manifestPath = join(buildDir, 'manifest.json');
  const started = Date.now();
  const dir = `cli-${started}-${process.pid}`;
  // The second reading thread's code (sync/read-ahead.ts) is an entry of its own, beside the chunks.
  const result = await compile(root, { tidings: 'cli/tidings.ts', ...(existsSync(join(root, WORKER)) && { 'read-ahead-worker': WORKER }) }, join(buildDir, dir));
  /** @type {Record<string, string>} */
  const inputs = {};
  // Compiled packages change with npm install, which rewrites package-lock.json.
  const ours = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
  for (const file of [...ours, ...SETTINGS]) {
    // A file saved while esbuild was reading it may be compiled half old: stamp it so the next run builds again.
    const now = stamp(root, file);
    inputs[file] = Number(now.split(':')[1]) >= started ? 'changed during the build' : now;
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
