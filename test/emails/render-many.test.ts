import { describe, expect, it } from 'vitest';
import { TEMPLATES, emailProps } from '../../emails/content.ts';
import { mailingRenderer, renderEmail } from '../../emails/render.ts';
import { workbookFrom } from '../../emails/preview-data.ts';
import { validateWorkbook } from '../../sync/validate.ts';

const AS_OF = '2026-11-22';

// Recipients whose values exercise the slots: full and blank, one gift and many (en: "1 time" vs
// "2 times"), other currencies, names with markup characters, quotes, an ampersand, repeated or
// edge spaces and a full-width space (rendered in full), and a name that looks like a slot.
const NAMES: Record<string, { first_name?: string; last_name?: string; organization?: string }> = {
  C01: { first_name: '小明', last_name: '王' },
  C02: {},
  C03: { first_name: 'Ann', last_name: 'Lee' },
  C04: { organization: 'Smith & Sons <Ltd> "Co" \'A\'' },
  C05: { first_name: 'Mary  Jo' },
  C06: { organization: 'Tab\tCo' },
  C07: { first_name: '春嬌\u3000' },
  C08: { first_name: 'TIDINGSSLOT0X' },
  C09: { first_name: 'Zoë', last_name: "O'Brien" },
};

function dataset() {
  const ids = Object.keys(NAMES);
  const { dataset } = validateWorkbook(workbookFrom(
    {
      contacts: ids.map((id) => ({ contact_id: id, email: `${id.toLowerCase()}@example.org`, email_opt_in: 'yes', ...NAMES[id] })),
      donations: [
        { donation_id: 'D1', contact_id: 'C01', date: '2026-03-05', amount: '1000', recurring_id: 'R1' },
        { donation_id: 'D2', contact_id: 'C01', date: '2026-10-05', amount: '1000.50', recurring_id: 'R1' },
        { donation_id: 'D3', contact_id: 'C03', date: '2026-10-05', amount: '500' },
        { donation_id: 'D4', contact_id: 'C04', date: '2026-01-05', amount: '20', currency: 'USD' },
        { donation_id: 'D5', contact_id: 'C04', date: '2026-02-05', amount: '700' },
        { donation_id: 'D6', contact_id: 'C09', date: '2026-02-05', amount: '700' },
      ],
      recurring: [
        { recurring_id: 'R1', contact_id: 'C01', amount: '1000', start_date: '2026-01-05', end_date: '2026-12-05', status: 'in_progress' },
        { recurring_id: 'R2', contact_id: 'C03', amount: '300', start_date: '2026-01-05', end_date: '2027-01-05', status: 'in_progress' },
      ],
      campaigns: [{ slug: 'winter', title: '冬季募款', payment_url: 'https://give.example.org/winter?x=1&y=2', published: 'yes', start_date: '2026-11-01' }],
      mailings: TEMPLATES.flatMap((template) => ['zh-TW', 'en'].map((locale) => ({
        mailing_id: `${template}-${locale}`, name: template, subject: `${template} & news`, template, locale, public: 'yes', status: 'draft',
      }))),
      stories: TEMPLATES.flatMap((template) => ['zh-TW', 'en'].map((locale) => ({
        mailing_id: `${template}-${locale}`, position: '1', title: 'Tutoring <opens>', body: 'Three **sites**. [Photos](https://example.org/p?a=1&b=2)', author: 'Mei',
      }))),
      impact: [{ period: '2026', metric: 'children tutored', value: '128', public: 'yes' }],
    },
    { org_name: 'Small & Kind', org_address: '1 Example Rd', site_url: 'https://example.org' },
  ));
  return dataset;
}

describe('rendering many recipients of one mailing', () => {
  const data = dataset();

  it.each(data.mailings.map((m) => [m.mailing_id, m] as const))('%s: the same subject, HTML and text as rendering each email in full', async (_, mailing) => {
    const render = mailingRenderer();
    // Twice over, so the second round comes from rendered shapes only.
    for (const round of [1, 2]) {
      for (const contact of data.contacts) {
        const props = emailProps(data, AS_OF, mailing, { contact, unsubscribeUrl: `https://example.org/unsubscribe/?t=${contact.contact_id}.tok&r=${round}` });
        const expected = await renderEmail(props);
        expect(await render(props), `${contact.contact_id}, round ${round}`).toEqual(expected);
      }
    }
  });

  it('puts each recipient\'s own values in (the shapes are shared, the values are not)', async () => {
    const mailing = data.mailings.find((m) => m.mailing_id === 'thank_you-en')!;
    const render = mailingRenderer();
    const [a, b] = ['C01', 'C04'].map((id) => data.contacts.find((c) => c.contact_id === id)!);
    const ming = await render(emailProps(data, AS_OF, mailing, { contact: a, unsubscribeUrl: 'https://example.org/unsubscribe/?t=a' }));
    const smith = await render(emailProps(data, AS_OF, mailing, { contact: b, unsubscribeUrl: 'https://example.org/unsubscribe/?t=b' }));
    expect(ming.text).toContain('小明');
    expect(smith.html).toContain('Smith &amp; Sons &lt;Ltd&gt; &quot;Co&quot; &#x27;A&#x27;');
    expect(smith.text).toContain('Smith & Sons <Ltd> "Co" \'A\'');
    expect(smith.text).not.toContain('小明');
    expect(smith.html).not.toContain('TIDINGSSLOT');
  });
});
