import { describe, expect, it } from 'vitest';
import { FatalSourceError, columnLetter } from '../sync/problems.ts';
import { validateWorkbook } from '../sync/validate.ts';
import { datasetFromCsv, workbookFromCsv } from './support/workbook.ts';

describe('headers', () => {
  it('match case-insensitively, with spaces and hyphens read as _, in any order, extra columns ignored', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: `Favourite Colour, EMAIL ,First-Name,Contact ID
                 blue,amy@example.org,Amy,C1`,
    });
    expect(problems).toEqual([]);
    expect(dataset.contacts).toMatchObject([{ contact_id: 'C1', first_name: 'Amy', email: 'amy@example.org', row: 2 }]);
  });

  it('a missing required tab is fatal and names the tab', () => {
    expect(() => validateWorkbook(workbookFromCsv({ contacts: 'contact_id,first_name' }))).toThrow(FatalSourceError);
    expect(() => validateWorkbook(workbookFromCsv({ contacts: 'contact_id,first_name' }))).toThrow(/required tab "donations"/);
  });

  it('a missing required column is fatal and names the tab and column', () => {
    expect(() => datasetFromCsv({ donations: 'donation_id,contact_id,amount' })).toThrow(/tab "donations" has no column "date"/);
  });

  it('optional tabs may be absent (read as empty) and optional columns may be missing', () => {
    const { dataset, summary } = datasetFromCsv({ contacts: 'contact_id,organization\nC1,Acme' });
    expect(dataset.recurring).toEqual([]);
    expect(dataset.contacts[0]).toMatchObject({ contact_id: 'C1', organization: 'Acme', email_opt_in: false, tags: [] });
    expect(summary.find((s) => s.tab === 'recurring')?.present).toBe(false);
  });
});

describe('problems name the cell the way the spreadsheet shows it', () => {
  it('gives row numbers with the header as row 1, counting blank rows, and the column letter', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy',
      donations: `donation_id,contact_id,date,amount
                  D1,C1,2024-01-05,1000
                  ,,,
                  D2,C1,not a date,1000`,
    });
    expect(dataset.donations.map((d) => d.donation_id)).toEqual(['D1']);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', tab: 'donations', row: 4, column: 'date', column_letter: 'C', value: 'not a date' }),
    ]);
  });

  it('letters columns past Z as AA, AB …', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('reports every bad cell of a row, and keeps every good row', () => {
    const { dataset, problems, summary } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy\nC2,Bo',
      donations: `donation_id,contact_id,date,amount,status
                  D1,C1,2024-01-05,0,done-ish
                  D2,C2,2024-01-06,500,已完成
                  D3,C1,2024-01-07,-3,`,
    });
    expect(dataset.donations.map((d) => d.donation_id)).toEqual(['D2']);
    expect(problems.map((p) => [p.row, p.column])).toEqual([[2, 'amount'], [2, 'status'], [4, 'amount']]);
    expect(summary.find((s) => s.tab === 'donations')).toMatchObject({ read: 3, kept: 1, errors: 2, warnings: 0 });
  });
});

describe('row rules', () => {
  it('an invalid email is a warning and the contact is kept without it', () => {
    const { dataset, problems } = datasetFromCsv({ contacts: 'contact_id,first_name,email\nC1,Amy,amy(at)example' });
    expect(dataset.contacts).toMatchObject([{ contact_id: 'C1', email: undefined }]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', row: 2, column: 'email', value: 'amy(at)example' })]);
  });

  it('a contact needs a name, organization or email', () => {
    const { dataset, problems } = datasetFromCsv({ contacts: 'contact_id,first_name,phone\nC1,,0912000000' });
    expect(dataset.contacts).toEqual([]);
    expect(problems[0]).toMatchObject({ severity: 'error', row: 2, message: expect.stringMatching(/at least one of first_name/) });
  });

  it('a duplicate id is an error on each later row; the first is kept', () => {
    const { dataset, problems } = datasetFromCsv({ contacts: 'contact_id,first_name\n C1 ,Amy\nC1,Bo\nC1,Cy' });
    expect(dataset.contacts.map((c) => c.first_name)).toEqual(['Amy']);
    expect(problems.map((p) => [p.row, p.column, p.severity])).toEqual([[3, 'contact_id', 'error'], [4, 'contact_id', 'error']]);
  });

  it('an id is taken by its first row even when that row is left out: a repeat is an error, and a reference to it names a row that was not kept', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy\nC2,Bo',
      recurring: 'recurring_id,contact_id,amount,start_date,status\nR1,C9,500,2024-01-01,active\nR1,C1,500,2024-01-01,active\nR2,C2,500,2024-01-01,active',
      donations: 'donation_id,contact_id,date,amount,recurring_id\nD1,C1,2024-01-05,500,R1\nD2,C2,2024-01-05,500,R2',
    });
    expect(dataset.recurring.map((r) => r.recurring_id)).toEqual(['R2']);
    expect(dataset.donations.map((d) => d.donation_id)).toEqual(['D2']);
    expect(problems.map((p) => `${p.tab}:${p.row}:${p.column}`)).toEqual(['recurring:2:contact_id', 'recurring:3:recurring_id', 'donations:2:recurring_id']);
    expect(dataset.donations[0]).toMatchObject({ contact_id: 'C2', recurring_id: 'R2' });
  });

  it('a gift paid to a plan of another contact is kept, with a warning naming both contacts', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy\nC2,Bo',
      recurring: 'recurring_id,contact_id,amount,start_date,status\nR1,C1,500,2024-01-01,active',
      donations: 'donation_id,contact_id,date,amount,recurring_id\nD1,C1,2024-01-05,500,R1\nD2,C2,2024-02-05,500,R1',
    });
    expect(dataset.donations.map((d) => d.donation_id)).toEqual(['D1', 'D2']);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', tab: 'donations', row: 3, column: 'recurring_id', message: expect.stringMatching(/recurring plan R1 belongs to contact C1, not C2/) })]);
  });

  it('a message may name a contact or mailing that is not (or no longer) in the sheet: it is kept as written', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy',
      mailings: 'mailing_id,name,subject\nM1,Hello,Hello',
      email_events: 'message_id,mailing_id,contact_id,email\nm1,M1,C1,amy@example.org\nm2,M0,C0,gone@example.org',
    });
    expect(problems).toEqual([]);
    expect([...dataset.email_events].map((e) => [e.mailing_id, e.contact_id])).toEqual([['M1', 'C1'], ['M0', 'C0']]);
  });

  it('references to contacts, plans and events that do not exist are errors', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy',
      recurring: 'recurring_id,contact_id,amount,start_date,status\nR1,C1,500,2024-01-01,進行中\nR2,C9,500,2024-01-01,active',
      donations: 'donation_id,contact_id,date,amount,recurring_id\nD1,C1,2024-01-05,500,R1\nD2,C1,2024-01-05,500,R2\nD3,C7,2024-01-05,500,',
      events: 'event_id,title,date\nE1,Open day,2024-03-01',
      participants: 'event_id,contact_id,status\nE1,C1,出席\nE2,C1,attended',
    });
    expect(dataset.recurring.map((r) => r.recurring_id)).toEqual(['R1']);
    expect(dataset.donations.map((d) => d.donation_id)).toEqual(['D1']);
    expect(dataset.participants).toMatchObject([{ event_id: 'E1', status: 'attended' }]);
    expect(problems.map((p) => `${p.tab}:${p.row}:${p.column}`)).toEqual([
      'recurring:3:contact_id', 'donations:3:recurring_id', 'donations:4:contact_id', 'participants:3:event_id',
    ]);
    expect(problems[1].message).toMatch(/recurring_id R2 is not in the recurring tab/);
  });

  it('entirely blank rows are skipped without comment', () => {
    const { dataset, problems, summary } = datasetFromCsv({ contacts: 'contact_id,first_name\n,\nC1,Amy\n  ,  ' });
    expect(problems).toEqual([]);
    expect(dataset.contacts).toHaveLength(1);
    expect(summary[0]).toMatchObject({ read: 1, kept: 1 });
  });

  it('keeps typed values: money in minor units, statuses, booleans, dates', () => {
    const { dataset } = datasetFromCsv({
      contacts: 'contact_id,first_name,email_opt_in,map_opt_in,birth_date,postal_code\nC1,Amy,是,✓,民國80年2月3日,010',
      donations: 'donation_id,contact_id,date,amount,currency\nD1,C1,113/1/5,"NT$1,000",\nD2,C1,2024.1.6,$20.50,usd',
    });
    expect(dataset.contacts[0]).toMatchObject({ email_opt_in: true, map_opt_in: true, birth_date: '1991-02-03', postal_code: '010' });
    expect(dataset.donations).toMatchObject([
      { date: '2024-01-05', amount: 100000, currency: 'TWD', status: 'completed' },
      { date: '2024-01-06', amount: 2050, currency: 'USD' },
    ]);
  });
});

describe('settings', () => {
  it('fills defaults, reads values, and reports bad ones (keeping the default)', () => {
    const { dataset, problems } = datasetFromCsv({
      settings: 'key,value\norg_name,好鄰居協會\nfiscal_year_start,7/1\ntimezone,Asia/Taipei\nnon_donation_types,"Membership, 活動報名費"\ncolour,blue',
    });
    expect(dataset.settings).toMatchObject({
      org_name: '好鄰居協會', fiscal_year_start: '01-01', currency: 'TWD', map_min_supporters: 5,
      non_donation_types: ['membership', '活動報名費'],
    });
    expect(problems.map((p) => [p.severity, p.row, p.column])).toEqual([['error', 3, 'value'], ['warning', 6, 'key']]);
    expect(problems[0].message).toMatch(/MM-DD/);
  });

  it('the org time zone decides which day a date-time falls on', () => {
    const { dataset } = datasetFromCsv({
      settings: 'key,value\ntimezone,America/Los_Angeles',
      contacts: 'contact_id,first_name\nC1,Amy',
      donations: 'donation_id,contact_id,date,amount\nD1,C1,2024-01-05T03:00:00Z,100',
    });
    expect(dataset.donations[0].date).toBe('2024-01-04');
  });
});
