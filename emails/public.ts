import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PublicNewsletter } from '../reports/public/types.ts';
import type { Dataset } from '../sync/dataset.ts';
import { publicDir } from '../sync/output.ts';
import { localeOf } from './content.ts';
import { renderWebVersion } from './render.ts';

/** Sent mailings marked public, newest first, rendered for the archive with nobody's data in them. */
export async function publicNewsletters(dataset: Dataset, asOf: string): Promise<PublicNewsletter[]> {
  const sent = dataset.mailings
    .filter((m) => m.public && m.status === 'sent' && m.sent_at)
    .sort((a, b) => b.sent_at!.localeCompare(a.sent_at!));
  return Promise.all(
    sent.map(async (m) => ({
      mailing_id: m.mailing_id,
      name: m.name,
      subject: m.subject,
      sent_at: m.sent_at!,
      locale: localeOf(m, dataset),
      html: await renderWebVersion(dataset, asOf, m),
    })),
  );
}

export async function writePublicNewsletters(out: string, dataset: Dataset, asOf: string): Promise<string> {
  const path = join(publicDir(out), 'newsletters.json');
  await mkdir(publicDir(out), { recursive: true });
  await writeFile(path, `${JSON.stringify(await publicNewsletters(dataset, asOf), null, 2)}\n`);
  return path;
}
