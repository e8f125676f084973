import type { Settings } from '../schema/settings.ts';

/** A receipt number taken apart: the fiscal year label and the sequence number in that year. */
export interface ReceiptSeq {
  year: string;
  seq: number;
}

export interface ReceiptNumberFormat {
  render(year: string, seq: number): string;
  /** undefined for numbers in another style (hand-written receipts before the tool, an old format, other padding). */
  parse(receiptNo: string): ReceiptSeq | undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * receipt_prefix + receipt_format from settings: {year} is the fiscal year label (2024, or
 * 2024/25 when the year starts on 07-01), {seq:05} the sequence zero-padded to 5 digits.
 */
export function receiptNumberFormat(settings: Pick<Settings, 'receipt_prefix' | 'receipt_format'>): ReceiptNumberFormat {
  const template = settings.receipt_prefix + settings.receipt_format;
  const seqToken = /\{seq(?::(\d+))?\}/;
  const width = Number(seqToken.exec(template)?.[1] ?? 0);
  const pattern = new RegExp(
    `^${template
      .split(/(\{year\}|\{seq(?::\d+)?\})/)
      .map((part) => (part === '{year}' ? '(?<year>\\d{4}(?:/\\d{2})?)' : seqToken.test(part) ? `(?<seq>\\d{${Math.max(width, 1)},})` : escape(part)))
      .join('')}$`,
  );
  const render = (year: string, seq: number) => template.replace('{year}', year).replace(seqToken, String(seq).padStart(width, '0'));
  return {
    render,
    // Only what the format itself writes counts: 2024-000011 is another style under {seq:05}.
    parse(receiptNo) {
      const m = pattern.exec(receiptNo.trim());
      if (!m?.groups) return undefined;
      const found = { year: m.groups.year, seq: Number(m.groups.seq) };
      return render(found.year, found.seq) === receiptNo.trim() ? found : undefined;
    },
  };
}
