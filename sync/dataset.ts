import type { MailingStats } from './mailing-stats.ts';
import type { Settings } from './schema/settings.ts';
import type { RowTabName, TabRow } from './schema/tabs.ts';

/** A validated row, with the spreadsheet row it came from (header = row 1). */
export type Row<T extends RowTabName> = TabRow<T> & { row: number };

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
 * The one typed dataset every report, segment, email and page is derived from. `suppressed`: the
 * SHA-256 hashes of the addresses on the suppression list (sync/suppressions.ts).
 */
export type Dataset = { [T in RowTabName]: Row<T>[] } & {
  settings: Settings;
  suppressed: ReadonlySet<string>;
  /** The `_mailing_stats` tool tab: counts of mailings whose tracking rows were compacted (absent: none). */
  mailing_stats?: MailingStats[];
};
