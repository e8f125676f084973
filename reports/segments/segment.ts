import { z } from 'zod';
import type { Dataset } from '../../sync/dataset.ts';

/** One member of a segment and why they are in it (in words, with the dates and amounts that decided it). */
export interface SegmentMember {
  contact_id: string;
  reason: string;
}

/**
 * Filters every segment accepts, as netiCRM's searches do: they restrict which gifts or plans
 * count (amounts are per gift, or per installment for recurring segments; minor units).
 */
export interface GiftFilters {
  min_amount?: number;
  max_amount?: number;
  campaign?: string;
  financial_type?: string;
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
  run(dataset: Dataset, asOf: string, params: z.output<P>, filters: GiftFilters): SegmentMember[];
}

/** A whole-number parameter of 1 or more, read from text (`months=3`), with its default. */
export const wholeParam = (defaultValue: number) =>
  z.coerce.number({ error: 'write a whole number such as 3' }).int('write a whole number such as 3').min(1, 'write a whole number of 1 or more').default(defaultValue);

/** The members among `entries` (contact id → what decides) that `reason` gives a reason for. */
export function membersOf<T>(entries: Iterable<readonly [string, T]>, reason: (value: T, contact_id: string) => string | undefined): SegmentMember[] {
  const members: SegmentMember[] = [];
  for (const [contact_id, value] of entries) {
    const why = reason(value, contact_id);
    if (why !== undefined) members.push({ contact_id, reason: why });
  }
  return members;
}
