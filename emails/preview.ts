import { join } from 'node:path';
import { writePrivateFile } from '../sync/private-files.ts';
import { privateFolder } from '../sync/output.ts';
import { emailProps } from './content.ts';
import { preferencesLink } from './preferences.ts';
import { type PageEntry, writeIndexPage } from './index-page.ts';
import { unsubscribePageUrl } from '../reports/site-links.ts';
import { renderEmail, renderWebVersion } from './render.ts';
import { previewDataset } from './preview-data.ts';

const PREVIEW_AS_OF = '2026-11-22';

/**
 * Every template with sample data, for review in a browser: for each, a donor with every field
 * filled, a contact with blanks (the fallbacks), and the newsletter's web version.
 */
export async function writePreviews(out: string): Promise<string> {
  const dir = await privateFolder(out, 'email-preview');
  const dataset = previewDataset();
  const entries: PageEntry[] = [];
  for (const mailing of dataset.mailings) {
    for (const contact of dataset.contacts) {
      const site = dataset.settings.site_url!;
      const props = emailProps(dataset, PREVIEW_AS_OF, mailing, { contact, unsubscribeUrl: unsubscribePageUrl(site, 'sample-token'), preferencesUrl: preferencesLink(dataset, contact, 'sample-secret', site) });
      const rendered = await renderEmail(props);
      const file = `${mailing.template}-${contact.contact_id}`;
      await writePrivateFile(join(dir, `${file}.html`), rendered.html);
      await writePrivateFile(join(dir, `${file}.txt`), rendered.text);
      entries.push({ label: `${mailing.template} · ${contact.first_name ? 'all fields' : 'blank fields'}`, subject: rendered.subject, htmlFile: `${file}.html`, extra: [{ label: 'text', file: `${file}.txt` }] });
    }
    if (mailing.public) {
      const file = `${mailing.template}-web`;
      await writePrivateFile(join(dir, `${file}.html`), await renderWebVersion(dataset, PREVIEW_AS_OF, mailing));
      entries.push({ label: `${mailing.template} · web version (archive)`, subject: mailing.subject, htmlFile: `${file}.html` });
    }
  }
  return writeIndexPage(dir, 'Email templates: preview with sample data', ['Sample data only; nobody real.'], entries);
}
