import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailing } from '../../sync/dataset.ts';
import { privateDir } from '../../sync/sync.ts';
import { type PageEntry, writeIndexPage } from '../index-page.ts';
import { type OutgoingMessage, toEml } from './message.ts';

export const outboxDir = (out: string, mailingId: string) => join(privateDir(out), 'outbox', mailingId.replace(/[^\w.-]/g, '_'));

/**
 * The dry run: every message as a .eml file (what would be sent, byte for byte in its headers and
 * parts) plus its HTML, and an index.html listing recipients with each rendering. Personal data,
 * so under <out>/private/ only. The folder is replaced, so it never mixes two runs.
 */
export async function writeOutbox(out: string, mailing: Mailing, messages: OutgoingMessage[], notes: string[] = []): Promise<string> {
  const dir = outboxDir(out, mailing.mailing_id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const entries: PageEntry[] = [];
  let n = 0;
  for (const message of messages) {
    const base = `${String(++n).padStart(4, '0')}-${message.contact_id.replace(/[^\w.-]/g, '_')}`;
    await writeFile(join(dir, `${base}.eml`), await toEml(message));
    await writeFile(join(dir, `${base}.html`), message.html);
    entries.push({ label: `${message.contact_id} · ${message.to}`, subject: message.subject, htmlFile: `${base}.html`, extra: [{ label: '.eml', file: `${base}.eml` }] });
  }
  return writeIndexPage(dir, `Dry run: ${mailing.mailing_id} (${mailing.name})`, ['Nothing was sent. Send with: tidings send ' + mailing.mailing_id + ' --live', ...notes], entries);
}
