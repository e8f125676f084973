import { render, toPlainText } from '@react-email/render';
import type { Dataset, Mailing } from '../sync/dataset.ts';
import { type EmailProps, emailProps } from './content.ts';
import { emailElement } from './templates/index.tsx';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** HTML rendered once; the plain-text part is derived from it, so the two never disagree. */
export async function renderEmail(props: EmailProps): Promise<RenderedEmail> {
  const html = await render(emailElement(props));
  return { subject: props.subject, html, text: toPlainText(html) };
}

/** The web version for the site's archive: no recipient's data, no unsubscribe link, no tracking. */
export async function renderWebVersion(dataset: Dataset, asOf: string, mailing: Mailing): Promise<string> {
  return (await renderEmail(emailProps(dataset, asOf, mailing))).html;
}
