import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { PublicSite } from '../../reports/public/types.ts';
import { basePath } from '../../site/lib/base-path.ts';
import { UsageError } from '../../sync/errors.ts';
import { publicDir } from '../../sync/output.ts';

export interface BuildOptions {
  out: string;
  dist: string;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Whether the reports stage has written the public aggregates the site is built from. */
const hasSiteData = (out: string) => existsSync(resolve(publicDir(out), 'site.json'));

/**
 * Builds the public site (astro.config.mjs, pages in site/) from <out>/public/*.json into dist.
 * The site reads nothing else: the folder is handed over in TIDINGS_PUBLIC_DIR.
 */
export async function buildSite(options: BuildOptions, log: (line: string) => void = console.log): Promise<string> {
  const data = resolve(publicDir(options.out));
  const dist = resolve(options.dist);
  if (!hasSiteData(options.out)) {
    throw new UsageError(`build: ${data} has no site.json: run \`tidings run\` first, or pass --out with the folder that holds public/`);
  }
  const site = JSON.parse(readFileSync(resolve(data, 'site.json'), 'utf8')) as PublicSite;
  process.env.TIDINGS_PUBLIC_DIR = data;
  process.env.ASTRO_TELEMETRY_DISABLED ??= '1';
  const started = Date.now();
  // Imported here so commands that never build do not load Astro.
  const { build } = await import('astro');
  await build({ root, outDir: dist, base: basePath(site.site_url), logLevel: 'warn' });
  log(`build: site from ${data} → ${dist} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return dist;
}

export const buildCommand = new Command('build')
  .option('--out <dir>', 'the folder sync and the reports wrote to (the site reads <out>/public/ only)', 'out')
  .option('--dist <dir>', 'where the static site goes', 'dist')
  .action(async (options: BuildOptions) => {
    await buildSite(options);
  });
