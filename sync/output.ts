import { mkdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { csvText } from './csv-text.ts';
import { makePrivateDir, writePrivateFile } from './private-files.ts';

/** The two halves of an output folder: personal data (owner-only) and what may be published. */
export const privateDir = (out: string) => join(out, 'private');
export const publicDir = (out: string) => join(out, 'public');

/**
 * <out>/private/<parts…>, created owner-only (private-files.ts); <out> itself is made as usual, so
 * public/ beside it stays readable. Returns the folder.
 */
export async function privateFolder(out: string, ...parts: string[]): Promise<string> {
  await mkdir(out, { recursive: true });
  await makePrivateDir(privateDir(out));
  const dir = join(privateDir(out), parts.join(sep));
  if (parts.length > 0) await makePrivateDir(dir);
  return dir;
}

/**
 * A CSV with a header; the byte-order mark (on by default) makes Excel read UTF-8 (中文) correctly.
 * Every CSV we write holds personal data, so it and its folder are owner-only.
 */
export async function writeCsv(path: string, columns: string[], rows: Record<string, unknown>[], { bom = true } = {}): Promise<void> {
  await makePrivateDir(dirname(path));
  await writePrivateFile(path, csvText([columns, ...rows.map((row) => columns.map((c) => row[c]))], bom));
}
