/** Personalised emails rendered per second (HTML + text): the work a send does for each recipient. */
import { buildMessages } from '../emails/send/message.ts';
import type { Contact, Dataset, Mailing } from '../sync/dataset.ts';
import { CsvFolderSource } from '../sync/sources/csv.ts';
import { validateWorkbook } from '../sync/validate.ts';
import { timed } from './measure.ts';

export interface RenderResult {
  emails: number;
  ms: number;
  perSecond: number;
}

/** `count` recipients cycled from the contacts with an email (each keeps its own gifts, so every email differs). */
export function recipients(dataset: Dataset, count: number): Contact[] {
  const withEmail = dataset.contacts.filter((c) => c.email);
  return Array.from({ length: count }, (_, i) => withEmail[i % withEmail.length]);
}

/** The mailing the sample sends most: its latest newsletter with stories. */
export function newsletter(dataset: Dataset): Mailing {
  const withStories = new Set(dataset.stories.map((s) => s.mailing_id));
  return dataset.mailings.filter((m) => (m.template ?? 'newsletter') === 'newsletter' && withStories.has(m.mailing_id)).at(-1)!;
}

/** Renders `count` emails in batches of 100 (as a live send does) and reports the rate. */
export async function renderRate(dir: string, asOf: string, count: number): Promise<RenderResult> {
  const { dataset } = validateWorkbook(await new CsvFolderSource(dir).read());
  const mailing = newsletter(dataset);
  const all = recipients(dataset, count);
  const { ms } = await timed(async () => {
    for (let i = 0; i < all.length; i += 100) await buildMessages(dataset, asOf, mailing, all.slice(i, i + 100), { secret: 'bench-secret' });
  });
  return { emails: count, ms, perSecond: (count / ms) * 1000 };
}
