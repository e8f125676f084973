import type { Dataset, RecurringPlan } from '../sync/dataset.ts';
import { type GiftFilters, passesFilters } from './gift-filters.ts';

/**
 * Recurring plans as the accelerator sees them. A plan is *counted* when at least one gift
 * references it; a counted plan in progress is *current*, a counted plan that is completed,
 * cancelled, overdue or paused is *past*. Plans in pending or failed are neither. The status is
 * the one the sheet holds now (the sheet keeps no history of it); plans starting after D are ignored.
 */
export type PlanState = 'current' | 'past';

const PAST_STATUSES: ReadonlySet<RecurringPlan['status']> = new Set(['completed', 'cancelled', 'overdue', 'paused']);

/** `giftsPerPlan`: the gifts as of D per plan, holding only plans with at least one (has, not a count: the ledger answers it without counting). */
export function planState(plan: RecurringPlan, giftsPerPlan: ReadonlyMap<string, number>): PlanState | undefined {
  if (!giftsPerPlan.has(plan.recurring_id)) return undefined;
  if (plan.status === 'in_progress') return 'current';
  return PAST_STATUSES.has(plan.status) ? 'past' : undefined;
}

/** Plans started on or before D that pass the filters (amounts per installment), by contact. */
export function plansByContact(dataset: Dataset, asOf: string, filters: GiftFilters = {}): Map<string, RecurringPlan[]> {
  const byContact = new Map<string, RecurringPlan[]>();
  for (const p of dataset.recurring) {
    if (p.start_date > asOf || !passesFilters(p, filters, dataset.settings.currency)) continue;
    const list = byContact.get(p.contact_id);
    if (list) list.push(p);
    else byContact.set(p.contact_id, [p]);
  }
  return byContact;
}
