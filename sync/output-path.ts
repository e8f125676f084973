import { isAbsolute, join, relative } from 'node:path';
import { UsageError } from './errors.ts';

/** A file name's limit in bytes on every common file system (ext4, APFS, NTFS). */
const MAX_NAME_BYTES = 255;

/**
 * `base`/`name`, where `name` comes from data or the command line (a mailing id, a receipt's file,
 * --out-file): one plain name that stays inside `base`. Anything else (a path, .., a name too long
 * for the file system) is refused with a UsageError before a file is written or removed, so no
 * command ever writes or deletes outside its own folder.
 */
export function outputPath(base: string, name: string, what = 'a file name'): string {
  const refuse = (why: string) => new UsageError(`${what} "${name.length > 40 ? `${name.slice(0, 40)}…` : name}" ${why}: nothing was written`);
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) throw refuse(`is not a plain name inside ${base}`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw refuse(`is longer than a file name can be (${MAX_NAME_BYTES} bytes)`);
  const path = join(base, name);
  const inside = relative(base, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw refuse(`is outside ${base}`);
  return path;
}
