import { EmailError } from '../errors.ts';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { giftsByContact } from '../../reports/ledger/index.ts';
import type { Contact, Dataset, Mailing } from '../../sync/dataset.ts';
import { type EmailProps, forRecipient, mailingProps } from '../content.ts';
import { unsubscribePageUrl } from '../../reports/site-links.ts';
import { preferencesLink } from '../preferences.ts';
import { type RenderedEmail, mailingRenderer } from '../render.ts';
import { unsubscribeToken } from '../unsubscribe.ts';

/** One recipient's message, in the shape Resend's batch endpoint takes (plus who it is for). */
export interface OutgoingMessage {
  contact_id: string;
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  /** Files to attach (receipts' PDFs); Resend's batch endpoint takes none, so these go one by one. */
  attachments?: { filename: string; content: Buffer }[];
}

export class MessageError extends EmailError {}

/**
 * Where a one-click unsubscribe (RFC 8058) is POSTed: the Google Form's formResponse address with
 * the token pre-filled, so no server of ours is needed; the site's page when no form is set up.
 */
export function oneClickUrl(dataset: Pick<Dataset, 'settings'>, token: string): string {
  const { unsubscribe_form_url: form, unsubscribe_form_field: field, site_url: site } = dataset.settings;
  if (form && field) {
    const url = new URL(form);
    url.searchParams.set(field, token);
    url.searchParams.set('submit', 'Submit');
    return url.toString();
  }
  if (!site) throw new MessageError('settings: site_url is blank: set it (the unsubscribe link points to <site_url>/unsubscribe/)');
  return unsubscribePageUrl(site, token);
}

const tagValue = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

export interface MessageOptions {
  secret: string;
  /** The From address; settings.email_from unless given. */
  from?: string;
}

// A send builds a mailing's messages batch by batch: its shared props and rendered shapes are kept for the next batch.
const renderers = new WeakMap<Mailing, { asOf: string; gifts: ReturnType<typeof giftsByContact>; shared: EmailProps; render: (props: EmailProps) => Promise<RenderedEmail> }>();

/** Every recipient's message: rendered, with List-Unsubscribe headers, the preference link and the mailing's tag. */
export async function buildMessages(dataset: Dataset, asOf: string, mailing: Mailing, recipients: readonly Contact[], options: MessageOptions): Promise<OutgoingMessage[]> {
  const { site_url: site, email_reply_to: replyTo } = dataset.settings;
  const from = options.from ?? dataset.settings.email_from;
  if (!from) throw new MessageError('settings: email_from is blank: set it to the verified sender, e.g. 小小基金會 <news@example.org>');
  if (!site) throw new MessageError('settings: site_url is blank: set it (the unsubscribe and web-version links point to the site)');
  let renderer = renderers.get(mailing);
  if (renderer?.asOf !== asOf) {
    renderer = { asOf, gifts: giftsByContact(dataset, asOf), shared: mailingProps(dataset, mailing, true), render: mailingRenderer() };
    renderers.set(mailing, renderer);
  }
  const { gifts } = renderer;
  const messages: OutgoingMessage[] = [];
  for (const contact of recipients) {
    const token = unsubscribeToken(options.secret, contact.contact_id);
    const rendered = await renderer.render(forRecipient(renderer.shared, dataset, asOf, mailing, { contact, unsubscribeUrl: unsubscribePageUrl(site, token), preferencesUrl: preferencesLink(dataset, contact, options.secret, site) }, gifts));
    messages.push({
      contact_id: contact.contact_id,
      from,
      to: contact.email!,
      ...(replyTo ? { replyTo } : {}),
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: {
        'List-Unsubscribe': `<${oneClickUrl(dataset, token)}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      tags: [{ name: 'mailing_id', value: tagValue(mailing.mailing_id) }],
    });
  }
  return messages;
}

/** The message as a real RFC 5322 file: multipart/alternative (text + HTML) with every header. */
export async function toEml(message: OutgoingMessage, date = new Date()): Promise<Buffer> {
  return new MailComposer({
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    date,
    headers: message.headers,
    attachments: message.attachments,
  })
    .compile()
    .build();
}
