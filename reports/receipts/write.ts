import { chmod, copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../../sync/dataset.ts';
import { outputPath } from '../../sync/output-path.ts';
import { PRIVATE_FILE_MODE, makePrivateDir, writePrivateFile } from '../../sync/private-files.ts';
import { UsageError } from '../../sync/errors.ts';
import { privateDir, privateFolder, writeCsv } from '../../sync/output.ts';
import type { Delivery } from './delivery.ts';
import { FONT_FILES } from './font.ts';
import { PAGE_FONTS, sheetHtml } from './page.tsx';
import { sheetPdf } from './pdf.ts';
import { donorName, fileStem } from './receipt.ts';

export const receiptsDir = (out: string) => join(privateDir(out), 'receipts');
export const printDir = (out: string) => join(receiptsDir(out), 'print');

/** A PDF made for a delivery: the attachment of its email (these bytes, never read back by name), or the page to print. */
export interface WrittenPdf {
  /** The attachment's name, as the donor sees it (the receipt number). */
  filename: string;
  /** Where it was written, under a name no other gift or donor has (Sheet.file). */
  path: string;
  content: Buffer;
}

/**
 * Writes every sheet of every delivery as <file>.pdf and a printable <file>.html under
 * <out>/private/receipts/; deliveries to donors without an email also go to print/, with
 * print-list.csv (who, where, which files) for posting them. Returns each delivery's PDFs.
 */
export async function writeDeliveries(out: string, deliveries: Delivery[]): Promise<Map<string, WrittenPdf[]>> {
  const dir = await privateFolder(out, 'receipts');
  await makePrivateDir(printDir(out));
  await copyFonts(join(dir, 'fonts'));
  const written = new Map<string, WrittenPdf[]>();
  const printList: Record<string, string>[] = [];
  // Names differ by more than case: on a Mac's or Windows' disk receipt-d1 and receipt-D1 are one file.
  const taken = new Map<string, string>();
  for (const delivery of deliveries) {
    const pdfs: WrittenPdf[] = [];
    for (const sheet of delivery.sheets) {
      const filename = `${sheet.file}.pdf`;
      const other = taken.get(filename.toLowerCase());
      if (other !== undefined) throw new UsageError(`receipts: ${other} and ${delivery.id} would share the file ${filename} on a disk that ignores case (Mac, Windows): give one of them an id that differs by more than upper and lower case; nothing was sent`);
      taken.set(filename.toLowerCase(), delivery.id);
      const pdf = await sheetPdf(sheet);
      const path = outputPath(dir, filename, 'a receipt file');
      await writePrivateFile(path, pdf);
      await writePrivateFile(outputPath(dir, `${sheet.file}.html`, 'a receipt file'), sheetHtml(sheet, 'fonts'));
      if (delivery.route === 'print') await writePrivateFile(outputPath(printDir(out), filename, 'a receipt file'), pdf);
      pdfs.push({ filename: `${sheet.name}.pdf`, path, content: pdf });
    }
    written.set(delivery.id, pdfs);
    if (delivery.route === 'print') {
      const c = delivery.contact;
      printList.push({
        contact_id: c.contact_id, name: donorName(c), postal_code: c.postal_code ?? '', country: c.country ?? '',
        region: c.region ?? '', city: c.city ?? '', phone: c.phone ?? '', files: delivery.sheets.map((sheet) => `${sheet.file}.pdf`).join(' '),
      });
    }
  }
  await writeCsv(join(printDir(out), 'print-list.csv'), ['contact_id', 'name', 'postal_code', 'country', 'region', 'city', 'phone', 'files'], printList);
  return written;
}

/** The bundled font next to the HTML pages, copied once (also for the event sign-up sheets). */
export async function copyFonts(dir: string) {
  await makePrivateDir(dir);
  for (const [weight, name] of Object.entries(PAGE_FONTS) as [keyof typeof PAGE_FONTS, string][]) {
    const target = join(dir, name);
    const have = await stat(target).then((s) => s.size, () => -1);
    if (have !== (await stat(FONT_FILES[weight])).size) {
      await copyFile(FONT_FILES[weight], target);
      await chmod(target, PRIVATE_FILE_MODE);
    }
  }
}

const GIFT_COLUMNS = ['fiscal_year', 'contact_id', 'donor', 'email', 'route', 'receipt_no', 'date', 'amount', 'currency', 'financial_type', 'campaign', 'payment_method'];
const TOTAL_COLUMNS = ['fiscal_year', 'contact_id', 'donor', 'email', 'route', 'gifts', 'total', 'currency', 'receipt_nos'];

/**
 * For the accountant: <year>-summary.csv (one row per donor and currency: gifts, total, receipt
 * numbers) and <year>-gifts.csv (one row per gift). Amounts are in the currency's major unit.
 */
export async function writeYearCsv(out: string, year: string, deliveries: Delivery[], dataset: Pick<Dataset, 'settings'>): Promise<string> {
  const plain = (minor: number) => (minor / 100).toFixed(2);
  const gifts = deliveries.flatMap((d) => d.gifts.map((g) => ({
    fiscal_year: year, contact_id: d.contact.contact_id, donor: donorName(d.contact), email: d.contact.email ?? '', route: d.route,
    receipt_no: g.receipt_no ?? '', date: g.date, amount: plain(g.amount), currency: g.currency ?? dataset.settings.currency,
    financial_type: g.financial_type ?? '', campaign: g.campaign ?? '', payment_method: g.payment_method ?? '',
  })));
  const totals = deliveries.flatMap((d) => (d.year?.totals ?? []).map((s) => {
    const ofCurrency = d.gifts.filter((g) => (g.currency ?? dataset.settings.currency) === s.currency);
    return {
      fiscal_year: year, contact_id: d.contact.contact_id, donor: donorName(d.contact), email: d.contact.email ?? '', route: d.route,
      gifts: ofCurrency.length, total: plain(s.amount), currency: s.currency, receipt_nos: ofCurrency.map((g) => g.receipt_no ?? '').join(' '),
    };
  }));
  const path = join(receiptsDir(out), `${fileStem(year)}-summary.csv`);
  await writeCsv(path, TOTAL_COLUMNS, totals);
  await writeCsv(join(receiptsDir(out), `${fileStem(year)}-gifts.csv`), GIFT_COLUMNS, gifts);
  return path;
}

