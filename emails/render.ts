import { render, toPlainText } from '@react-email/render';
import type { Dataset, Mailing } from '../sync/dataset.ts';
import { type EmailProps, type Personal, emailProps } from './content.ts';
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

// A recipient's values stand in the rendered email as slots, then are put back per recipient.
const slot = (i: number) => `TIDINGSSLOT${i}X`;
// React escapes text and attribute values with exactly these five entities.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
// html-to-text collapses runs of whitespace: a value with any but single inner spaces is rendered in full.
const SUBSTITUTABLE = /^\S+(?: \S+)*$/;

/** The personal values of `props` in slot order, and a copy of `props` with slots in their place. */
function slotted(props: EmailProps): { values: string[]; skeleton: EmailProps } {
  const values: string[] = [];
  const put = (value: string | undefined) => {
    if (value === undefined) return undefined;
    values.push(value);
    return slot(values.length - 1);
  };
  const p = props.personal;
  const personal: Personal | undefined = p && {
    name: put(p.name),
    lastGift: p.lastGift && { amount: put(p.lastGift.amount)!, date: put(p.lastGift.date)! },
    // The gift count stays a number: "1 time" and "2 times" are different shapes.
    totals: p.totals && { amount: put(p.totals.amount)!, gifts: p.totals.gifts },
    plan: p.plan && { amount: put(p.plan.amount), end: put(p.plan.end) },
  };
  const skeleton = { ...props, personal, links: { ...props.links, unsubscribe: put(props.links.unsubscribe), preferences: put(props.links.preferences) } };
  return { values, skeleton };
}

const fill = (template: string, values: string[], escape: (v: string) => string) =>
  template.replace(/TIDINGSSLOT(\d+)X/g, (_, i: string) => escape(values[Number(i)]));

/**
 * Renders many recipients' emails of one mailing. Rendering React and deriving the text cost
 * milliseconds each, so each shape of email (which personal values are present) is rendered once
 * with slots, and each recipient's values are put into the slots: the same HTML and text as
 * renderEmail, at a fraction of the cost. Values that whitespace handling could change are
 * rendered in full instead.
 */
export function mailingRenderer(): (props: EmailProps) => Promise<RenderedEmail> {
  const shapes = new Map<string, Promise<RenderedEmail>>();
  return async (props) => {
    const { values, skeleton } = slotted(props);
    if (!values.every((v) => SUBSTITUTABLE.test(v) && !/TIDINGSSLOT\d+X/.test(v))) return renderEmail(props);
    const key = JSON.stringify(skeleton);
    let shape = shapes.get(key);
    if (!shape) shapes.set(key, (shape = renderEmail(skeleton)));
    const { subject, html, text } = await shape;
    return { subject, html: fill(html, values, escapeHtml), text: fill(text, values, (v) => v) };
  };
}
