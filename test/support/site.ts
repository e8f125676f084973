import { execFile } from 'node:child_process';
import { cp, mkdir, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';

export const FIXTURE_PUBLIC = 'test/fixtures/public';
export const FIXTURE_ASSETS = 'test/fixtures/assets';

/** Runs `tidings build` as a user would, in its own process (Astro runs Vite, which must not nest in vitest's). */
export async function buildSite(out: string, dist: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/tidings.js', 'build', '--out', out, '--dist', dist], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  return stdout;
}

/** Copies the fixture public JSON (all of it, or the named files) into <out>/public. */
export async function copyFixtures(out: string, files?: string[]): Promise<void> {
  await mkdir(join(out, 'public'), { recursive: true });
  for (const file of files ?? (await readdir(FIXTURE_PUBLIC))) await cp(join(FIXTURE_PUBLIC, file), join(out, 'public', file));
}

/** Every file under a folder, as paths relative to it with / separators. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The URL path of every page of a built site: a/b/index.html → /a/b/. */
export async function pagePaths(dist: string): Promise<string[]> {
  return (await filesUnder(dist))
    .filter((f) => f.endsWith('index.html'))
    .map((f) => `/${f.slice(0, -'index.html'.length)}`)
    .sort();
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
