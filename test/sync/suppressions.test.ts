import { describe, expect, it } from 'vitest';
import { workbookFrom } from '../../emails/preview-data.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { validateWorkbook } from '../../sync/validate.ts';

describe('the suppression list', () => {
  it('hashes the address as staff may type it: full-width letters, spaces, capitals', () => {
    expect(emailHash(' Ａmy@Example.ORG ')).toBe(emailHash('amy@example.org'));
    expect(emailHash('amy@example.org')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is read into the dataset; a row that is not a hash is a warning naming tab, row and column', () => {
    const good = emailHash('amy@example.org');
    const { dataset, problems } = validateWorkbook(workbookFrom({
      contacts: [{ contact_id: 'C1', first_name: 'Amy', email: 'amy@example.org' }],
      _suppressions: [
        { email_sha256: good.toUpperCase(), reason: 'forgotten', added_at: '2026-11-01T00:00:00Z' },
        { email_sha256: 'amy@example.org', reason: 'forgotten', added_at: '' },
        { email_sha256: '', reason: '', added_at: '' },
      ],
    }));
    expect([...dataset.suppressed]).toEqual([good]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', tab: '_suppressions', row: 3, column: 'email_sha256', column_letter: 'A', value: 'amy@example.org' })]);
  });
});
