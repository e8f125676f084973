import type { RawWorkbook } from '../sync/sources/source.ts';
import { normalizeName } from '../sync/sources/source.ts';
import { validateWorkbook } from '../sync/validate.ts';
import type { Dataset } from '../sync/dataset.ts';

export type SheetRows = Record<string, Record<string, string | undefined>[]>;

/** A workbook from rows keyed by column name (settings as key/value pairs), as a source would read it. */
export function workbookFrom(tabs: SheetRows, settings: Record<string, string> = {}): RawWorkbook {
  const workbook: RawWorkbook = new Map();
  for (const [name, rows] of Object.entries(tabs)) {
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    workbook.set(normalizeName(name), { name, header, rows: rows.map((r) => header.map((h) => r[h] ?? '')) });
  }
  workbook.set('settings', { name: 'settings', header: ['key', 'value'], rows: Object.entries(settings) });
  for (const required of ['contacts', 'donations']) {
    if (!workbook.has(required)) workbook.set(required, { name: required, header: required === 'contacts' ? ['contact_id'] : ['donation_id', 'contact_id', 'date', 'amount'], rows: [] });
  }
  return workbook;
}

/** The data `tidings email preview` renders: one mailing per template, a donor with every field filled and one with blanks. */
export function previewDataset(): Dataset {
  const templates = ['newsletter', 'thank_you', 'impact_update', 'recurring_ending', 'birthday'];
  const { dataset } = validateWorkbook(
    workbookFrom(
      {
        contacts: [
          { contact_id: 'C001', first_name: '小明', last_name: '王', email: 'ming@example.org', email_opt_in: 'yes', birth_date: '1980-11-22' },
          { contact_id: 'C002', email: 'friend@example.org', email_opt_in: 'yes' },
        ],
        donations: [
          { donation_id: 'D001', contact_id: 'C001', date: '2026-03-05', amount: '1000', recurring_id: 'R001' },
          { donation_id: 'D002', contact_id: 'C001', date: '2026-10-05', amount: '1000', recurring_id: 'R001' },
        ],
        recurring: [{ recurring_id: 'R001', contact_id: 'C001', amount: '1000', start_date: '2026-01-05', end_date: '2026-12-05', status: 'in_progress' }],
        campaigns: [{ slug: 'winter-2026', title: '冬季募款', payment_url: 'https://give.example.org/winter', published: 'yes', start_date: '2026-11-01' }],
        mailings: templates.map((template) => ({
          mailing_id: `sample-${template.replace(/_/g, '-')}`, name: template, subject: `${template}：十一月的消息`,
          preview_text: '大家都寫一點點，統整成為電子報', template, public: template === 'newsletter' ? 'yes' : 'no', status: 'draft',
        })),
        stories: templates.flatMap((template) => [
          { mailing_id: `sample-${template.replace(/_/g, '-')}`, position: '2', title: '志工培訓完成', body: '本月共有 **12 位**新志工完成培訓。[看照片](https://example.org/photos)', author: '小華' },
          { mailing_id: `sample-${template.replace(/_/g, '-')}`, position: '1', title: '偏鄉課輔開學了', body: '三個據點同時開課。\n\n- 台東\n- 花蓮\n- 屏東', link_url: 'https://example.org/stories/tutoring', image_url: 'https://example.org/tutoring.jpg', author: '阿美' },
        ]),
        impact: [
          { period: '2026', metric: '位學童參加課輔', value: '128', public: 'yes' },
          { period: '2026', metric: '志工服務', value: '2400', unit: '小時', public: 'yes' },
        ],
      },
      { org_name: '小小基金會', org_address: '100 臺北市中正區範例路 1 號', site_url: 'https://example.org' },
    ),
  );
  return dataset;
}
