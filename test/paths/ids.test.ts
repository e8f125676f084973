import { describe, expect, it } from 'vitest';
import { outputPath } from '../../sync/output-path.ts';
import { UsageError } from '../../sync/errors.ts';
import { datasetFromCsv } from '../support/workbook.ts';

const LONG = 'x'.repeat(301);

describe('ids that become file names and web pages are checked at sync', () => {
  it('refuses paths, dots, spaces, control characters and overlong ids, naming the cell', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: `contact_id,first_name
                 C1,Amy
                 ../../x,Ben
                 ${LONG},Cat
                 .hidden,Dan
                 a b,Eve
                 陳美玲-01,美玲`,
      mailings: `mailing_id,name,subject
                 ..,bad,Hello
                 電子報-2024.06,good,您好
                 a\\b,bad,Hello`,
    });
    expect(dataset.contacts.map((c) => c.contact_id)).toEqual(['C1', '陳美玲-01']);
    expect(dataset.mailings.map((m) => m.mailing_id)).toEqual(['電子報-2024.06']);
    const idProblems = problems.filter((p) => p.column === 'contact_id' || p.column === 'mailing_id');
    expect(idProblems.map((p) => `${p.severity} ${p.tab} ${p.row} ${p.column_letter} ${p.value}`)).toEqual([
      'error contacts 3 A ../../x', `error contacts 4 A ${LONG}`, 'error contacts 5 A .hidden', 'error contacts 6 A a b',
      'error mailings 2 A ..', 'error mailings 4 A a\\b',
    ]);
    expect(idProblems[1].message).toMatch(/301 characters long; an id has at most 64.*use letters \(any language\), digits, - _ and \./);
    expect(idProblems[0].message).toMatch(/^"..\/..\/x" cannot be an id: it holds a character other than letters/);
    expect(idProblems[4].message).toMatch(/starts or ends with a dot/);
  });

  it('a receipt number may hold a slash or words, but not 301 characters or a line break', () => {
    const { dataset, problems } = datasetFromCsv({
      contacts: 'contact_id,first_name\nC1,Amy',
      donations: `donation_id,contact_id,date,amount,receipt_no
                  D1,C1,2024-01-05,1000,2024/25-00001
                  D2,C1,2024-01-06,1000,收字第 12 號
                  D3,C1,2024-01-07,1000,${LONG}`,
    });
    expect(dataset.donations.map((d) => d.receipt_no)).toEqual(['2024/25-00001', '收字第 12 號']);
    expect(problems).toMatchObject([{ severity: 'error', tab: 'donations', row: 4, column: 'receipt_no', message: expect.stringMatching(/301 characters.*clear the cell/) }]);
  });
});

describe('outputPath: one plain name inside its folder', () => {
  it('joins a plain name, and refuses .., paths and names too long for a file system', () => {
    expect(outputPath('/tmp/out/private/outbox', '電子報-2024.06')).toBe('/tmp/out/private/outbox/電子報-2024.06');
    for (const name of ['..', '.', '', '../../x', 'a/b', 'a\\b', '/etc', `${'字'.repeat(90)}`, 'a\0b']) {
      expect(() => outputPath('/tmp/out/private/outbox', name, 'the mailing id'), name).toThrow(UsageError);
    }
    expect(() => outputPath('/tmp/o', '..', 'the mailing id')).toThrow('the mailing id ".." is not a plain name inside /tmp/o: nothing was written');
  });
});
