import { isGift } from '../gift-definition.ts';
import { fiscalYear } from '../../reports/periods.ts';
import type { Dataset, Donation } from '../dataset.ts';
import type { Problem } from '../problems.ts';
import { receiptNumberFormat } from './format.ts';
import { LEDGER_TAB, type LedgerRow, validClaims } from './ledger.ts';

/** A receipt number to write to a donation's blank receipt_no cell. */
export interface Assignment {
  donation_id: string;
  receipt_no: string;
  fiscal_year: string;
  seq: number;
  /** Already claimed in the ledger by an earlier run that stopped before writing it. */
  claimed: boolean;
}

export interface NumberingPlan {
  assignments: Assignment[];
  /** Gaps, duplicates and ledger numbers whose gift is gone or holds another number. */
  problems: Problem[];
}

/** Gifts that get a receipt: completed donations of a donation type (not membership or event fees). */
export const needsReceipt = (d: Donation, dataset: Pick<Dataset, 'settings'>, asOf: string) => isGift(d, dataset, asOf) && !d.receipt_no;

/**
 * Which receipt numbers to hand out, from the donations and the ledger as they are now (pure).
 * Each fiscal year has its own sequence; a new number continues after the highest number ever
 * seen in that year, on a donation or in the ledger, so a refunded or deleted gift's number is
 * never handed out again. Gifts are numbered in date order, then sheet order.
 */
export function planReceiptNumbers(dataset: Dataset, ledger: LedgerRow[], asOf: string): NumberingPlan {
  const { settings } = dataset;
  const format = receiptNumberFormat(settings);
  const claims = validClaims(ledger);
  const problems: Problem[] = [];
  const warn = (p: Omit<Problem, 'severity'>) => problems.push({ severity: 'warning', ...p });
  const onDonation = (d: Donation, message: string) =>
    warn({ tab: 'donations', row: d.row, column: 'receipt_no', value: d.receipt_no, message });

  // Every number in use, by fiscal year label → sequence → where it is.
  const used = new Map<string, Map<number, { donation?: Donation; ledger?: LedgerRow }>>();
  const use = (receiptNo: string, at: { donation?: Donation; ledger?: LedgerRow }) => {
    const parsed = format.parse(receiptNo);
    if (!parsed) return;
    const year = used.get(parsed.year) ?? used.set(parsed.year, new Map()).get(parsed.year)!;
    year.set(parsed.seq, { ...year.get(parsed.seq), ...at });
  };

  const byId = new Map(dataset.donations.map((d) => [d.donation_id, d]));
  const holder = new Map<string, Donation>();
  for (const d of dataset.donations) {
    if (!d.receipt_no) continue;
    const first = holder.get(d.receipt_no);
    if (first) onDonation(d, `receipt number ${d.receipt_no} is also on donation ${first.donation_id} (row ${first.row}): a number belongs to one gift only, and neither gift gets a receipt until this is fixed; give this gift its own number by clearing the cell (Tidings assigns the next one) and void the duplicate paper receipt`);
    else holder.set(d.receipt_no, d);
    use(d.receipt_no, { donation: d });
  }

  const resumed = new Map<string, Assignment>();
  for (const claim of claims.values()) {
    use(claim.receipt_no, { ledger: claim });
    const d = byId.get(claim.donation_id);
    const at = { tab: LEDGER_TAB, row: claim.row, column: 'receipt_no', value: claim.receipt_no };
    if (!d) {
      warn({ ...at, message: `receipt number ${claim.receipt_no} was issued to donation ${claim.donation_id}, which is no longer in donations: the number stays void and is not reused; if the gift was deleted by mistake, restore its row` });
    } else if (!d.receipt_no) {
      const parsed = format.parse(claim.receipt_no);
      if (parsed) resumed.set(d.donation_id, { donation_id: d.donation_id, receipt_no: claim.receipt_no, fiscal_year: parsed.year, seq: parsed.seq, claimed: true });
    } else if (d.receipt_no !== claim.receipt_no) {
      warn({ ...at, message: `receipt number ${claim.receipt_no} was issued to donation ${claim.donation_id}, which now has ${d.receipt_no}: ${claim.receipt_no} stays void and is not reused` });
    } else if (holder.get(d.receipt_no) !== d) {
      onDonation(holder.get(d.receipt_no)!, `receipt number ${d.receipt_no} was issued to donation ${d.donation_id} (row ${d.row}), not to this gift: clear this cell so Tidings gives it its own number`);
    }
  }

  for (const [year, seqs] of used) {
    const sorted = [...seqs.keys()].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1] + 1) continue;
      const missing = [sorted[i - 1] + 1, sorted[i] - 1].map((seq) => format.render(year, seq));
      const next = seqs.get(sorted[i])!;
      const range = missing[0] === missing[1] ? missing[0] : `${missing[0]} to ${missing[1]}`;
      const message = `receipt number ${range} is missing in the ${year} sequence (before ${format.render(year, sorted[i])}): find the gift it was written on and put the number back in its receipt_no cell, or note why it was voided`;
      if (next.donation) onDonation(next.donation, message);
      else warn({ tab: LEDGER_TAB, row: next.ledger!.row, column: 'receipt_no', value: next.ledger!.receipt_no, message });
    }
  }

  const highest = new Map([...used].map(([year, seqs]) => [year, [...seqs.keys()].reduce((a, b) => Math.max(a, b), -Infinity)]));
  const assignments: Assignment[] = [];
  const waiting = dataset.donations
    .filter((d) => needsReceipt(d, dataset, asOf))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.row - b.row));
  for (const d of waiting) {
    const claimed = resumed.get(d.donation_id);
    if (claimed) {
      assignments.push(claimed);
      continue;
    }
    const year = fiscalYear(d.date, settings.fiscal_year_start).label;
    const seq = (highest.get(year) ?? 0) + 1;
    highest.set(year, seq);
    assignments.push({ donation_id: d.donation_id, receipt_no: format.render(year, seq), fiscal_year: year, seq, claimed: false });
  }
  return { assignments, problems };
}
