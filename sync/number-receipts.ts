import { randomUUID } from 'node:crypto';
import type { Problem } from './problems.ts';
import { type RawWorkbook, type WritableSource, isWritable, readTabs } from './sources/source.ts';
import { UsageError } from './errors.ts';
import { type Synced, loadDataset, locate } from './load.ts';
import { REGISTER_COLUMNS, REGISTER_TAB, readRegister, validClaims } from './receipts/register.ts';
import { type Assignment, planReceiptNumbers } from './receipts/numbering.ts';

/** Rounds of claim-and-check before giving up when other runs keep winning the same numbers. */
const MAX_ROUNDS = 10;

export interface Numbered extends Synced {
  /** Receipt numbers this run wrote to donations.receipt_no. */
  written: Assignment[];
  /** Gifts still without a number (when numbers were not assigned). */
  waiting: number;
}

/**
 * The receipt-number step of sync. With `assign`, numbers every gift that has none and writes the
 * numbers back to the source; the dataset returned is re-read after the writes. Either way the
 * problems gain the gaps, duplicates and void numbers found.
 */
export async function numberReceipts(synced: Synced, assign: boolean): Promise<Numbered> {
  const plan = planFor(synced.toolTabs, synced);
  if (!assign || plan.assignments.length === 0) {
    return { ...synced, problems: [...synced.problems, ...plan.problems.map((p) => locate(synced, p))], written: [], waiting: plan.assignments.length };
  }
  if (!isWritable(synced.source)) throw new UsageError(`${synced.source.label} cannot be written to, so receipt numbers cannot be assigned: leave out --assign-receipts`);
  const written = await assignReceiptNumbers(synced.source, synced.asOf, synced);
  const again = await loadDataset(synced.source, synced.asOf);
  const after = planFor(again.toolTabs, again);
  return { ...again, problems: [...again.problems, ...after.problems.map((p) => locate(again, p))], written, waiting: after.assignments.length };
}

function planFor(toolTabs: RawWorkbook, synced: Pick<Synced, 'dataset' | 'asOf'>): { assignments: Assignment[]; problems: Problem[] } {
  const register = readRegister(toolTabs);
  const plan = planReceiptNumbers(synced.dataset, register.rows, synced.asOf);
  return { assignments: plan.assignments, problems: [...register.problems, ...plan.problems] };
}

/**
 * Claims numbers in the register, keeps the claims that won (first row per number and per
 * donation), and writes those to blank receipt_no cells only. A run that lost a number to a
 * concurrent run re-reads and claims again, so two runs never hand out one number.
 */
export async function assignReceiptNumbers(source: WritableSource, asOf: string, justRead?: Pick<Synced, 'dataset' | 'toolTabs'>): Promise<Assignment[]> {
  const run = randomUUID().slice(0, 8);
  const written: Assignment[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // The first round can use what the caller has just read; later rounds need what is there now.
    const { dataset, toolTabs } = (round === 0 && justRead) || (await loadDataset(source, asOf));
    const { assignments } = planReceiptNumbers(dataset, readRegister(toolTabs).rows, asOf);
    if (assignments.length === 0) return written;

    const fresh = assignments.filter((a) => !a.claimed);
    let won = assignments.filter((a) => a.claimed);
    if (fresh.length > 0) {
      const claimed_at = new Date().toISOString();
      await source.appendRows(REGISTER_TAB, [...REGISTER_COLUMNS], fresh.map((a) => ({
        receipt_no: a.receipt_no, donation_id: a.donation_id, fiscal_year: a.fiscal_year, seq: a.seq, claimed_at, run,
      })));
      const claims = validClaims(readRegister(await readTabs(source, [REGISTER_TAB])).rows);
      won = [...won, ...fresh.filter((a) => claims.get(a.receipt_no)?.run === run && claims.get(a.receipt_no)?.donation_id === a.donation_id)];
    }
    const result = await source.updateCells('donations', 'donation_id', won.map((a) => ({
      id: a.donation_id, column: 'receipt_no', value: a.receipt_no, onlyIfBlank: true,
    })));
    const refused = new Set([...result.skippedNotBlank, ...result.refusedMissingId].map((u) => u.id));
    for (const a of won) if (!refused.has(a.donation_id)) written.push(a);
    if (won.length === assignments.length) return written;
  }
  throw new Error(`receipt numbers: other runs kept claiming the same numbers for ${MAX_ROUNDS} rounds; run sync again when they have finished`);
}
