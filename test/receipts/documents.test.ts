import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderReceiptEmail } from '../../emails/receipts/ReceiptEmail.tsx';
import { receiptDeliveries, summaryDeliveries } from '../../reports/receipts/delivery.ts';
import { sheetHtml } from '../../reports/receipts/page.tsx';
import { sheetPdf } from '../../reports/receipts/pdf.ts';
import { fiscalYearByLabel } from '../../reports/receipts/receipt.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { buildDataset } from '../support/dataset.ts';

const run = promisify(execFile);

const SETTINGS = {
  org_name: '紅鼻子關懷小丑協會', org_tax_id: '12345678', org_address: '臺北市中正區重慶南路一段 1 號', receipt_signatory: '理事長 王小明',
};

function dataset(extra: Partial<Record<string, Record<string, string>[]>> = {}, settings: Record<string, string> = {}): Dataset {
  return buildDataset({
    settings: { ...SETTINGS, ...settings },
    contacts: [
      { contact_id: 'C1', first_name: '美玲', last_name: '陳', email: 'meiling@example.org', email_opt_in: 'no' },
      { contact_id: 'C2', first_name: 'Amy', last_name: 'Lin', email: 'amy@example.org', language: 'en' },
      { contact_id: 'C3', organization: '好鄰居文教基金會' },
      { contact_id: 'C4', first_name: 'Ben', email: 'ben@example.org', do_not_contact: 'yes' },
    ],
    campaigns: [{ slug: 'xmas-2024', title: '聖誕節禮盒計畫' }],
    donations: [
      { donation_id: 'D1', contact_id: 'C1', date: '2024-03-05', amount: '1,200', campaign: 'xmas-2024', financial_type: '專案捐款', payment_method: '信用卡', receipt_no: '2024-00001' },
      { donation_id: 'D2', contact_id: 'C1', date: '2024-05-01', amount: '10010', payment_method: 'ATM 轉帳', receipt_no: '2024-00002' },
      { donation_id: 'D3', contact_id: 'C2', date: '2024-05-02', amount: '500', payment_method: 'credit card', receipt_no: '2024-00003' },
      { donation_id: 'D4', contact_id: 'C3', date: '2024-06-01', amount: '300', receipt_no: '2024-00004' },
      { donation_id: 'D5', contact_id: 'C4', date: '2024-06-02', amount: '800', receipt_no: '2024-00005' },
      { donation_id: 'D6', contact_id: 'C3', date: '2024-06-03', amount: '800', financial_type: 'membership' },
      { donation_id: 'D7', contact_id: 'C1', date: '2023-12-31', amount: '100', receipt_no: '2023-00009' },
      ...(extra.donations ?? []),
    ],
  });
}

/** The PDF's text as pdftotext (poppler-utils) extracts it, and its page facts from pdfinfo/pdffonts. */
async function readPdf(pdf: Buffer): Promise<{ text: string; info: string; fonts: string }> {
  const path = join(await mkdtemp(join(tmpdir(), 'tidings-pdf-')), 'x.pdf');
  await writeFile(path, pdf);
  const [text, info, fonts] = await Promise.all([
    run('pdftotext', ['-layout', path, '-']), run('pdfinfo', [path]), run('pdffonts', [path]),
  ]);
  return { text: text.stdout, info: info.stdout, fonts: fonts.stdout };
}

describe('the receipt PDF', () => {
  it('shows every field, the amount in Chinese financial numerals, on A4 with the CJK font embedded as a subset', async () => {
    const data = dataset();
    const [delivery] = receiptDeliveries(data, '2024-03-01', '2024-12-31').filter((d) => d.contact.contact_id === 'C1');
    const { text, info, fonts } = await readPdf(await sheetPdf(delivery.sheets[0]));
    for (const field of [
      '紅鼻子關懷小丑協會', '統一編號：12345678', '地址：臺北市中正區重慶南路一段 1 號', '捐款收據',
      '收據編號', '2024-00001', '捐款日期', '2024-03-05', '捐款人', '陳美玲', '$1,200',
      '大寫金額', '新臺幣壹仟貳佰元整', '捐款用途', '聖誕節禮盒計畫 / 專案捐款', '付款方式', '信用卡', '理事長 王小明',
    ]) expect(text).toContain(field);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansTC-Regular\s+(CID )?TrueType.*yes\s+yes\s+yes/);
  });

  it('writes English receipts for English-speaking donors (no Chinese numerals) and names organizations', async () => {
    const data = dataset();
    const deliveries = receiptDeliveries(data, '2024-03-01', '2024-12-31');
    const amy = await readPdf(await sheetPdf(deliveries.find((d) => d.contact.contact_id === 'C2')!.sheets[0]));
    for (const field of ['Donation receipt', 'Tax ID: 12345678', 'Receipt no.', '2024-00003', 'Amy Lin', 'NT$500', 'General donation', 'credit card']) {
      expect(amy.text).toContain(field);
    }
    expect(amy.text).not.toContain('新臺幣');
    const foundation = await readPdf(await sheetPdf(deliveries.find((d) => d.contact.contact_id === 'C3')!.sheets[0]));
    expect(foundation.text).toContain('好鄰居文教基金會');
    expect(foundation.text).toContain('新臺幣參佰元整');
  });

  it('the printable page carries the same fields, and the font it refers to', () => {
    const [delivery] = receiptDeliveries(dataset(), '2024-03-01', '2024-12-31');
    const html = sheetHtml(delivery.sheets[0], 'fonts');
    for (const field of ['<html lang="zh-TW"', '@page { size: A4', "url('fonts/NotoSansTC-Regular.ttf')", '統一編號：12345678', '2024-00001', '陳美玲', '新臺幣壹仟貳佰元整', '理事長 王小明']) {
      expect(html).toContain(field);
    }
  });
});

describe('the annual summary', () => {
  it('lists the fiscal year’s gifts with receipt numbers and the total, over several pages when needed', async () => {
    // 40 monthly-style gifts of NT$1,000 from C2 in 2024 (plus the receipts above): 40 × 1,000 + 500 = 40,500.
    const many = Array.from({ length: 40 }, (_, i) => ({
      donation_id: `M${i}`, contact_id: 'C2', date: `2024-${String((i % 12) + 1).padStart(2, '0')}-15`, amount: '1000', receipt_no: `2024-${String(100 + i).padStart(5, '0')}`,
    }));
    const data = dataset({ donations: many }, { default_locale: 'zh-TW' });
    const year = fiscalYearByLabel('2024', data);
    const summaries = summaryDeliveries(data, year, '2024-12-31');
    expect(summaries.map((s) => `${s.id} ${s.route} ${s.gifts.length}`)).toEqual([
      'summary:2024:C1 email 2', 'summary:2024:C2 email 41', 'summary:2024:C3 print 1', 'summary:2024:C4 withheld 1',
    ]);
    const c1 = await readPdf(await sheetPdf(summaries[0].sheets[0]));
    for (const field of ['2024 年度捐款證明', '2024-01-01 – 2024-12-31', '2024-00001', '2024-00002', '$11,210', '新臺幣壹萬壹仟貳佰壹拾元整']) expect(c1.text).toContain(field);
    expect(c1.text).not.toContain('2023-00009'); // the previous fiscal year
    const c2 = await readPdf(await sheetPdf(summaries[1].sheets[0]));
    expect(c2.info).toMatch(/Pages:\s+2\n/);
    for (const gift of many) expect(c2.text).toContain(gift.receipt_no);
    expect(c2.text).toContain('NT$40,500');
  });

  it('uses the 2024/25 label when the fiscal year starts on 07-01, and explains a label that does not fit', () => {
    const data = dataset({}, { fiscal_year_start: '07-01' });
    expect(fiscalYearByLabel('2023/24', data)).toMatchObject({ start: '2023-07-01', end: '2024-06-30' });
    expect(() => fiscalYearByLabel('2024', data)).toThrow(/write it the way receipt numbers show it, e.g. 2024\/25/);
  });
});

describe('deliveries and their email', () => {
  it('one message per donor per run, whatever their newsletter opt-in; no email means print, do_not_contact means withheld', async () => {
    const data = dataset();
    const deliveries = receiptDeliveries(data, '2024-03-01', '2024-12-31', new Set(['2024-00003']));
    expect(deliveries.map((d) => `${d.id} ${d.route}`)).toEqual([
      'receipt:2024-00001+2024-00002 email', // C1 did not opt in to newsletters: receipts still go
      'receipt:2024-00004 print', // D6 is a membership fee: no receipt
      'receipt:2024-00005 withheld',
    ]);
    const email = await renderReceiptEmail(deliveries[0], data);
    expect(email.subject).toBe('【紅鼻子關懷小丑協會】捐款收據（2 筆）');
    for (const part of ['陳美玲 您好', '2024-00001 · 2024-03-05 · $1,200', '2024-00002 · 2024-05-01 · $10,010']) {
      expect(email.html).toContain(part);
      expect(email.text).toContain(part);
    }
  });

  it('the summary email states the year and the total', async () => {
    const data = dataset();
    const [, amy] = summaryDeliveries(data, fiscalYearByLabel('2024', data), '2024-12-31');
    const email = await renderReceiptEmail(amy, data);
    expect(email.subject).toBe('Your 2024 giving summary from 紅鼻子關懷小丑協會');
    expect(email.text).toContain('Total NT$500');
  });
});
