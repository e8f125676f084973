import type { z } from 'zod';
import { readAmount } from '../../sync/cells/money.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { UsageError } from '../../sync/errors.ts';
import type { GiftFilters } from '../gift-filters.ts';
import { attendeesNotDonors } from './attendees-not-donors.ts';
import { birthdays } from './birthdays.ts';
import { failedNoRetry } from './failed-no-retry.ts';
import { firstTimeDonors } from './first-time-donors.ts';
import { lapsed3m } from './lapsed-3m.ts';
import { longTermDonors } from './long-term-donors.ts';
import { lybunt } from './lybunt.ts';
import { recentDonors } from './recent-donors.ts';
import { recurringAny, recurringLapsed, recurringLoyal, recurringNever, recurringNew } from './recurring.ts';
import { recurringEnding } from './recurring-ending.ts';
import { repeatSingleDonors } from './repeat-single-donors.ts';
import { type SegmentDefinition, type SegmentMember, countsOf, membersOf } from './segment.ts';
import { sybunt } from './sybunt.ts';

/** Every saved segment, in the order staff see them. */
export const SEGMENTS: readonly SegmentDefinition[] = [
  firstTimeDonors, recentDonors, failedNoRetry,
  recurringNew, recurringLapsed, recurringLoyal, recurringAny, recurringNever,
  birthdays, lybunt, sybunt, repeatSingleDonors, recurringEnding, attendeesNotDonors, lapsed3m, longTermDonors,
];

const BY_ID = new Map(SEGMENTS.map((s) => [s.id, s]));

/** The filters every segment accepts, as they are written in a spec. */
export const FILTER_NAMES = ['min_amount', 'max_amount', 'campaign', 'financial_type'] as const;

/** A segment spec that cannot be used: exit 2 on the CLI, a cell problem in a mailing. */
export class SegmentSpecError extends UsageError {}

export interface ParsedSpec {
  definition: SegmentDefinition;
  params: Record<string, unknown>;
  filters: GiftFilters;
}

const paramNames = (d: SegmentDefinition) => Object.keys(d.params.shape);

/** "days (default 90), months (default 6)": what a segment accepts, for error messages and help. */
export function describeParams(d: SegmentDefinition): string {
  const defaults = d.params.parse({}) as Record<string, unknown>;
  return paramNames(d).map((p) => `${p} (default ${defaults[p]})`).join(', ');
}

function readMoney(spec: string, name: string, value: string): number {
  const amount = readAmount(value);
  if (!amount.ok || amount.value === undefined) {
    throw new SegmentSpecError(`segment "${spec}": ${name}=${value}: ${amount.ok ? 'write an amount such as 1000 or NT$1,000' : amount.message}`);
  }
  return amount.value;
}

/**
 * Reads a segment spec as staff write it in a mailing's `segment` cell or on the command line:
 * `recent_donors`, `recent_donors?months=3`, `lybunt?min_amount=NT$1,000&campaign=winter-2024`.
 */
export function parseSegmentSpec(spec: string): ParsedSpec {
  const text = spec.trim();
  const [rawId, query = ''] = text.split(/\?(.*)/s);
  const id = rawId.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const definition = BY_ID.get(id);
  if (!definition) {
    throw new SegmentSpecError(`unknown segment "${rawId.trim()}" in "${text}": use one of ${SEGMENTS.map((s) => s.id).join(', ')}`);
  }
  const accepted = paramNames(definition);
  const raw: Record<string, string> = {};
  const filters: GiftFilters = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const name = key.trim().toLowerCase().replace(/[\s-]+/g, '_');
    const v = value.trim();
    if (name === 'min_amount' || name === 'max_amount') filters[name] = readMoney(text, name, v);
    else if (name === 'campaign' || name === 'financial_type') filters[name] = v;
    else if (accepted.includes(name)) raw[name] = v;
    else {
      const own = accepted.length ? `${definition.id} accepts ${describeParams(definition)}; every segment also accepts` : `${definition.id} takes no parameters of its own; every segment accepts`;
      throw new SegmentSpecError(`segment "${text}": unknown parameter "${key}": ${own} ${FILTER_NAMES.join(', ')}`);
    }
  }
  if (filters.min_amount !== undefined && filters.max_amount !== undefined && filters.min_amount > filters.max_amount) {
    throw new SegmentSpecError(`segment "${text}": min_amount is more than max_amount: swap them`);
  }
  const parsed = (definition.params as z.ZodObject).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new SegmentSpecError(`segment "${text}": ${name}=${raw[name]}: ${issue.message}`);
  }
  return { definition, params: parsed.data as Record<string, unknown>, filters };
}

/** Contact ids in the order staff expect: C2 before C10. */
export const compareContactIds = new Intl.Collator('en', { numeric: true }).compare;

const sortMembers = (members: SegmentMember[]) => members.sort((a, b) => compareContactIds(a.contact_id, b.contact_id));

/** The members of a segment spec as of D, sorted by contact_id. */
export function evaluateSegment(dataset: Dataset, asOf: string, spec: string): SegmentMember[] {
  const { definition, params, filters } = parseSegmentSpec(spec);
  return sortMembers(membersOf(definition.select(dataset, asOf, params, filters)));
}

/** How many members each segment spec has as of D: evaluateSegment's lengths, without writing or sorting reasons. */
export function countSegments(dataset: Dataset, asOf: string, specs: string[]): number[] {
  return countsOf(specs.map((spec) => {
    const { definition, params, filters } = parseSegmentSpec(spec);
    return definition.select(dataset, asOf, params, filters);
  }));
}
