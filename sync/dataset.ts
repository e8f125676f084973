import type { EmailEventRows } from './email-event-rows.ts';
import type { MailingStats } from './mailing-stats.ts';
import type { Settings } from './schema/settings.ts';
import type { RowTabName, TabRow } from './schema/tabs.ts';

/** A validated row, with the spreadsheet row it came from (header = row 1); read-only once validated. */
export type Row<T extends RowTabName> = Readonly<TabRow<T> & { row: number }>;

export type Contact = Row<'contacts'>;
export type Donation = Row<'donations'>;
export type RecurringPlan = Row<'recurring'>;
export type Event = Row<'events'>;
export type Participant = Row<'participants'>;
export type Campaign = Row<'campaigns'>;
export type Mailing = Row<'mailings'>;
export type Story = Row<'stories'>;
export type EmailEvent = Row<'email_events'>;
export type ImpactRow = Row<'impact'>;
export type Unsubscribe = Row<'unsubscribes'>;
export type Goal = Row<'goals'>;

/**
 * The one typed dataset every report, segment, email and page is derived from. It is read-only:
 * what changes it (applied unsubscribes) returns a new one. `suppressed`: the SHA-256 hashes of
 * the addresses on the suppression list (sync/suppressions.ts).
 */
export type Dataset = { readonly [T in Exclude<RowTabName, 'email_events'>]: readonly Row<T>[] } & {
  /** The send log: read in order, not indexed (sync/email-event-rows.ts holds it as columns). */
  readonly email_events: EmailEventRows;
  readonly settings: Readonly<Settings>;
  readonly suppressed: ReadonlySet<string>;
  /** The `_mailing_stats` tool tab: counts of mailings whose tracking rows were compacted (absent: none). */
  readonly mailing_stats?: readonly Readonly<MailingStats>[];
};
