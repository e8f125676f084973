import { describe, expect, it } from 'vitest';
import { unsubscribeForm } from '../../sync/schema/unsubscribe-form.ts';
import { validateWorkbook } from '../../sync/validate.ts';

describe('settings.unsubscribe_form_url', () => {
  it('reads a Google Forms pre-filled link: where to post, which field is the token, which the reason', () => {
    const link = 'https://docs.google.com/forms/d/e/1FAIpQLSabc/viewform?usp=pp_url&entry.111=TOKEN&entry.222=REASON&entry.333=newsletter';
    expect(unsubscribeForm(link)).toEqual({
      action: 'https://docs.google.com/forms/d/e/1FAIpQLSabc/formResponse',
      tokenField: 'entry.111',
      reasonField: 'entry.222',
      fixed: [['entry.333', 'newsletter']],
    });
    expect(unsubscribeForm('https://example.org/unsubscribe?code=token')?.tokenField).toBe('code');
  });

  it('is a settings error, naming what to paste, when the link has no TOKEN field', () => {
    const workbook = new Map([
      ['settings', { name: 'settings', header: ['key', 'value'], rows: [['unsubscribe_form_url', 'https://docs.google.com/forms/d/e/x/viewform']] }],
      ['contacts', { name: 'contacts', header: ['contact_id', 'email'], rows: [] }],
      ['donations', { name: 'donations', header: ['donation_id', 'contact_id', 'date', 'amount'], rows: [] }],
    ]);
    const { dataset, problems } = validateWorkbook(workbook);
    expect(dataset.settings.unsubscribe_form_url).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', tab: 'settings', row: 2, column: 'value' });
    expect(problems[0].message).toMatch(/pre-filled link.*TOKEN/);
  });
});
