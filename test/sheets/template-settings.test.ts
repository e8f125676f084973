import { describe, expect, it } from 'vitest';
import { templateTabs } from '../../sync/sources/sheet-template.ts';
import { workbookFromCsv } from '../support/workbook.ts';

describe('the sheet template reads the sample with the settings reader alone', () => {
  it('lays out a sample that would not validate (no contacts tab, a bad setting): problems are sync\'s to report', () => {
    const sample = workbookFromCsv({
      settings: `key,value
        currency,USD
        fiscal_year_start,13-01`,
      donations: `donation_id,contact_id,date,amount
        D1,C1,2026-01-05,12.50`,
    });
    const tabs = new Map(templateTabs(sample).map((t) => [t.title, t]));
    const donations = tabs.get('donations')!;
    const row = donations.rows[0];
    expect(row[donations.header.indexOf('donation_id')]).toBe('D1');
    expect(row[donations.header.indexOf('amount')]).toBe('12.50');
    expect(tabs.get('settings')!.rows.slice(0, 2)).toEqual([['currency', 'USD'], ['fiscal_year_start', '13-01']]);
  });
});
