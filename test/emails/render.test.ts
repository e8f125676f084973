import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES, emailProps } from '../../emails/content.ts';
import { writePublicNewsletters } from '../../emails/public.ts';
import { renderEmail, renderWebVersion } from '../../emails/render.ts';
import { previewDataset } from '../../emails/preview-data.ts';
import type { PublicNewsletter } from '../../reports/public/types.ts';

const AS_OF = '2026-11-22';
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));

describe('email templates', () => {
  const dataset = previewDataset();
  const [full, blank] = dataset.contacts;
  const recipient = (contact = full) => ({ contact, unsubscribeUrl: 'https://example.org/unsubscribe/?t=tok' });

  it.each(TEMPLATES)('%s: preview text, address, unsubscribe, UTM on every link, a text part', async (template) => {
    const mailing = dataset.mailings.find((m) => m.template === template)!;
    const { html, text } = await renderEmail(emailProps(dataset, AS_OF, mailing, recipient()));
    expect(html).toContain('大家都寫一點點');
    expect(html).toContain('100 臺北市中正區範例路 1 號');
    const links = hrefs(html);
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) {
      const url = new URL(link);
      expect([url.searchParams.get('utm_source'), url.searchParams.get('utm_medium'), url.searchParams.get('utm_campaign')]).toEqual(['newsletter', 'email', mailing.mailing_id]);
    }
    expect(links.some((l) => l.startsWith('https://example.org/unsubscribe/?t=tok'))).toBe(true);
    expect(text).toContain('王小明');
    expect(text).toContain('取消訂閱');
    expect(text).not.toContain('<');
  });

  it('newsletter: stories in position order with Markdown rendered and its links tagged', async () => {
    const mailing = dataset.mailings.find((m) => m.template === 'newsletter')!;
    const { html } = await renderEmail(emailProps(dataset, AS_OF, mailing, recipient()));
    expect(html.indexOf('偏鄉課輔開學了')).toBeLessThan(html.indexOf('志工培訓完成'));
    expect(html).toContain('<strong>12 位</strong>');
    expect(html).toContain('https://example.org/photos?utm_source=newsletter');
    expect(html).toContain('https://example.org/newsletters/sample-newsletter/?utm_source=newsletter');
  });

  it('personalisation falls back gracefully when fields are blank', async () => {
    const thanks = dataset.mailings.find((m) => m.template === 'thank_you')!;
    const withGift = await renderEmail(emailProps(dataset, AS_OF, thanks, recipient(full)));
    expect(withGift.text).toContain('2026-10-05');
    const without = await renderEmail(emailProps(dataset, AS_OF, thanks, recipient(blank)));
    expect(without.text).toContain('親愛的朋友，您好');
    expect(without.text).not.toMatch(/undefined|NaN|null/);
    const ending = dataset.mailings.find((m) => m.template === 'recurring_ending')!;
    expect((await renderEmail(emailProps(dataset, AS_OF, ending, recipient(full)))).text).toContain('2026-12-05');
    expect((await renderEmail(emailProps(dataset, AS_OF, ending, recipient(blank)))).text).not.toMatch(/undefined|NaN/);
  });

  it('English strings when the mailing is in English', async () => {
    const mailing = { ...dataset.mailings.find((m) => m.template === 'birthday')!, locale: 'en' };
    const { text } = await renderEmail(emailProps(dataset, AS_OF, mailing, recipient(blank)));
    expect(text).toContain('Dear friend,');
    expect(text).toContain('Unsubscribe');
  });

  it('the web version carries no recipient data, no unsubscribe link and no tracking', async () => {
    const mailing = dataset.mailings.find((m) => m.template === 'newsletter')!;
    const html = await renderWebVersion(dataset, AS_OF, mailing);
    expect(html).toContain('偏鄉課輔開學了');
    expect(html).not.toContain('王小明');
    expect(html).not.toContain('utm_');
    expect(html).not.toContain('/unsubscribe/');
  });

  it('writes newsletters.json for sent public mailings only', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tidings-public-'));
    const sentAt = '2026-11-15T03:00:00.000Z';
    const ds = { ...dataset, mailings: dataset.mailings.map((m) => (m.template === 'newsletter' ? { ...m, status: 'sent' as const, sent_at: sentAt } : { ...m, status: 'sent' as const, sent_at: sentAt, public: false })) };
    const path = await writePublicNewsletters(out, ds, AS_OF);
    const list = JSON.parse(await readFile(path, 'utf8')) as PublicNewsletter[];
    expect(list.map((n) => n.mailing_id)).toEqual(['sample-newsletter']);
    expect(list[0].html).not.toContain('王小明');
    expect(list[0].locale).toBe('zh-TW');
  });
});
