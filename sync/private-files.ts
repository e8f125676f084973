import { chmod, mkdir, writeFile } from 'node:fs/promises';

/**
 * Personal data (out/private/**, backups/**) is readable by its owner only: folders 0700, files
 * 0600, whatever the umask. The mode is set again on a folder or file that already existed, since
 * mkdir and writeFile only apply it to what they create.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and any missing parents) owner-only. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/** Writes a file of personal data, owner-only; its folder must exist. */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data, { mode: PRIVATE_FILE_MODE });
  await chmod(path, PRIVATE_FILE_MODE);
}
