import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { renderReceiptEmail } from '../../emails/receipts/ReceiptEmail.tsx';
import { buildMessages, toEml } from '../../emails/send/message.ts';
import { receiptDeliveries } from '../../reports/receipts/delivery.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import { validateWorkbook } from '../../sync/validate.ts';
import { SETTINGS } from '../support/csv-folder.ts';
import { buildDataset } from '../support/dataset.ts';

const INJECTED = 'Hello\r\nBcc: everyone@evil.example\r\n\r\n<script>alert(1)</script>';

const settingsOf = (key: string, value: string) => {
  const workbook: RawWorkbook = new Map([
    ['settings', { name: 'settings', header: ['key', 'value'], rows: [[key, value]] }],
    ['contacts', { name: 'contacts', header: ['contact_id', 'first_name'], rows: [] }],
    ['donations', { name: 'donations', header: ['donation_id', 'contact_id', 'date', 'amount'], rows: [] }],
  ]);
  return validateWorkbook(workbook);
};

describe('email headers from the sheet', () => {
  it.each(['email_from', 'email_reply_to'])('%s takes one address, or a name and an address, on one line', (key) => {
    for (const good of ['news@example.org', '台灣好鄰居協會 <news@example.org>', '"Good, Neighbours" <news@example.org>']) {
      const { dataset, problems } = settingsOf(key, good);
      expect(problems).toEqual([]);
      expect((dataset.settings as Record<string, unknown>)[key]).toBe(good);
    }
    for (const bad of ['news@example.org\r\nBcc: everyone@evil.example', 'Name <news@example.org>\nBcc: x@evil.example', 'Name\r\n <news@example.org>', 'not an address', 'Name <not-an-address>', 'a@example.org, b@example.org', '<a@example.org> <b@example.org>']) {
      const { dataset, problems } = settingsOf(key, bad);
      expect((dataset.settings as Record<string, unknown>)[key]).toBeUndefined();
      expect(problems).toEqual([expect.objectContaining({ tab: 'settings', row: 2, column: 'value', column_letter: 'B', message: expect.stringContaining(`${key}: write one address on one line`) })]);
    }
  });

  // What goes to Resend is the message's subject as a JSON string: nothing folds it on the way.
  it('a subject and preview with line breaks reach the provider as one line', async () => {
    const dataset = buildDataset({
      contacts: [{ contact_id: 'C1', first_name: 'Amy', email: 'amy@example.org', email_opt_in: 'yes' }],
      mailings: [{ mailing_id: 'M1', name: 'n', subject: INJECTED, preview_text: 'Peek\nX-Evil: 1', segment: 'all', status: 'scheduled' }],
      settings: SETTINGS,
    });
    const [message] = await buildMessages(dataset, '2026-11-15', dataset.mailings[0], dataset.contacts, { secret: 'headers-secret' });
    expect(message.subject).toBe('Hello Bcc: everyone@evil.example <script>alert(1)</script>');
    expect(message.html).toContain('Peek X-Evil: 1');
    expect(message.html).not.toContain('<script>');
    const mail = await simpleParser(await toEml(message));
    expect(mail.subject).toBe(message.subject);
    expect(mail.bcc).toBeUndefined();
  });

  it('a receipt subject made from an org name with a line break is one line', async () => {
    const dataset = buildDataset({
      contacts: [{ contact_id: 'C1', first_name: 'Amy', email: 'amy@example.org' }],
      donations: [{ donation_id: 'D1', contact_id: 'C1', date: '2024-05-01', amount: '800', receipt_no: '2024-00001' }],
      settings: { ...SETTINGS, org_name: '小小基金會\r\nBcc: everyone@evil.example', org_tax_id: '12345678' },
    });
    const [delivery] = receiptDeliveries(dataset, '2024-01-01', '2024-12-31');
    expect((await renderReceiptEmail(delivery, dataset)).subject).toBe('【小小基金會 Bcc: everyone@evil.example】捐款收據');
  });
});
