import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailing } from '../../sync/dataset.ts';
import { outputPath } from '../../sync/output-path.ts';
import { makePrivateDir, writePrivateFile } from '../../sync/private-files.ts';
import { privateDir, privateFolder } from '../../sync/output.ts';
import { type PageEntry, writeIndexPage } from '../index-page.ts';
import { type OutgoingMessage, toEml } from './message.ts';

/** A mailing's folder: its id is the name (sync allows only ids that can be one), never a path out of outbox/. */
export const outboxDir = (out: string, mailingId: string) => outputPath(join(privateDir(out), 'outbox'), mailingId, 'the mailing id');

/**
 * The dry run: every message as a .eml file (what would be sent, byte for byte in its headers and
 * parts) plus its HTML, and an index.html listing recipients with each rendering. Personal data,
 * so under <out>/private/ only. The folder is replaced, so it never mixes two runs.
 */
export async function writeOutbox(
  out: string,
  mailing: Pick<Mailing, 'mailing_id' | 'name'>,
  messages: OutgoingMessage[],
  notes: string[] = [],
  sendWith = `tidings send ${mailing.mailing_id} --live`,
): Promise<string> {
  const dir = outboxDir(out, mailing.mailing_id);
  await privateFolder(out, 'outbox');
  await rm(dir, { recursive: true, force: true });
  await makePrivateDir(dir);
  const entries: PageEntry[] = [];
  let n = 0;
  for (const message of messages) {
    const base = `${String(++n).padStart(4, '0')}-${message.contact_id.replace(/[^\w.-]/g, '_')}`;
    await writePrivateFile(join(dir, `${base}.eml`), await toEml(message));
    await writePrivateFile(join(dir, `${base}.html`), message.html);
    entries.push({ label: `${message.contact_id} · ${message.to}`, subject: message.subject, htmlFile: `${base}.html`, extra: [{ label: '.eml', file: `${base}.eml` }] });
  }
  return writeIndexPage(dir, `Dry run: ${mailing.mailing_id} (${mailing.name})`, [`Nothing was sent. Send with: ${sendWith}`, ...notes], entries);
}
