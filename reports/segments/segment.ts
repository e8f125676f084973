import { z } from 'zod';
import type { Dataset } from '../../sync/dataset.ts';
import type { GiftFilters } from '../gift-filters.ts';

/** One member of a segment and why they are in it (in words, with the dates and amounts that decided it). */
export interface SegmentMember {
  contact_id: string;
  reason: string;
}

/**
 * Who is in a segment, kept apart from how their reason reads: counting members needs only `test`.
 * `test` returns the facts that decided (what the reason is written from), undefined for a non-member.
 */
export interface Selection<V = unknown, F = unknown> {
  /** The contacts to consider, with what decides for each. */
  entries: Iterable<readonly [string, V]>;
  test(value: V, contact_id: string): F | undefined;
  reason(facts: F, contact_id: string): string;
}

/** A saved search: a pure function of the dataset and the as-of date. */
export interface SegmentDefinition<P extends z.ZodObject = z.ZodObject> {
  id: string;
  title: { 'zh-TW': string; en: string };
  description: { 'zh-TW': string; en: string };
  /** What a team typically does with it. */
  use: { 'zh-TW': string; en: string };
  /** Parameters with their defaults (e.g. days=90). */
  params: P;
  select(dataset: Dataset, asOf: string, params: z.output<P>, filters: GiftFilters): Selection;
}

/** A whole-number parameter of 1 or more, read from text (`months=3`), with its default. */
export const wholeParam = (defaultValue: number) =>
  z.coerce.number({ error: 'write a whole number such as 3' }).int('write a whole number such as 3').min(1, 'write a whole number of 1 or more').default(defaultValue);

/** A selection, typed by what its entries and facts are. */
export const selection = <V, F>(
  entries: Iterable<readonly [string, V]>,
  test: (value: V, contact_id: string) => F | undefined,
  reason: (facts: F, contact_id: string) => string,
): Selection<V, F> => ({ entries, test, reason });

/** Each entry in order; a map's (a Map, the ledger's views as of D, an index's contacts) by forEach, which makes no [key, value] array for each of its 40,000 contacts. */
function eachEntry<V>(entries: Iterable<readonly [string, V]>, visit: (value: V, contact_id: string) => void): void {
  if (!Array.isArray(entries) && typeof (entries as ReadonlyMap<string, V>).forEach === 'function') (entries as ReadonlyMap<string, V>).forEach(visit);
  else for (const [contact_id, value] of entries) visit(value, contact_id);
}

/** The members of a selection with their reasons, in the order of its entries. */
export function membersOf({ entries, test, reason }: Selection): SegmentMember[] {
  const members: SegmentMember[] = [];
  eachEntry(entries, (value, contact_id) => {
    const facts = test(value, contact_id);
    if (facts !== undefined) members.push({ contact_id, reason: reason(facts, contact_id) });
  });
  return members;
}

/**
 * How many members each selection has (no reason is written). Selections over the same entries
 * (most segments read the same index maps) are counted in one pass, each contact's data read once.
 */
export function countsOf(selections: Selection[]): number[] {
  const counts = selections.map(() => 0);
  const byEntries = new Map<Selection['entries'], number[]>();
  selections.forEach((s, i) => byEntries.set(s.entries, [...(byEntries.get(s.entries) ?? []), i]));
  for (const [entries, group] of byEntries) {
    const tests = group.map((i) => selections[i].test);
    eachEntry(entries, (value, contact_id) => {
      for (let g = 0; g < group.length; g++) if (tests[g](value, contact_id) !== undefined) counts[group[g]]++;
    });
  }
  return counts;
}
