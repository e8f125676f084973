import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IsoDate } from '../sync/cells/dates.ts';
import { type RowTabName, TAB_ORDER, tabColumns } from '../sync/schema/tabs.ts';
import { plusYears } from '../sync/periods.ts';
import { Attributor, planCampaigns } from './campaigns.ts';
import type { SampleContext } from './context.ts';
import { Attendance, planEvents } from './events.ts';
import { GiftWriter } from './gifts.ts';
import { Mailer, planMailings } from './mailings.ts';
import { goalRows, impactRows, settingsRows } from './org.ts';
import type { Person } from './people.ts';
import { PERSONA_COUNT, type PlantedMistake, writePersonas } from './personas.ts';
import { randomSupporter } from './population.ts';
import { Rng } from './random.ts';
import { Typist } from './typing.ts';
import { TabWriter } from './writer.ts';

export interface SampleOptions {
  contacts: number;
  seed: number;
  /** The anchor date D: every date is relative to it. */
  asOf: IsoDate;
  out: string;
}

export interface SampleResult {
  files: { tab: string; path: string; rows: number }[];
  planted: PlantedMistake[];
  /** Donation amounts written per currency (minor units), planted mistakes left out. */
  donationTotals: Record<string, number>;
}

// Counts that grow with the sample, chosen so 50,000 contacts give issue 9's workload L
// (≈500,000 donations, 20,000 plans, 5,000 participants, 120 mailings, 1,000,000 email events).
const eventCount = (contacts: number) => Math.max(6, Math.round(contacts / 2_000));
const targetedMailings = (contacts: number) => Math.max(1, Math.round(contacts / 467));

/**
 * Writes a deterministic sample workbook (`<tab>.csv` for every tab, headers as the data model
 * names them) to `out`. Same seed and anchor → byte-identical files. Rows stream to disk, so the
 * work and memory grow linearly with the number of contacts.
 */
export function generateSample(options: SampleOptions): SampleResult {
  if (!Number.isInteger(options.contacts) || options.contacts < PERSONA_COUNT) {
    throw new RangeError(`--contacts must be a whole number of at least ${PERSONA_COUNT} (the constructed personas)`);
  }
  mkdirSync(options.out, { recursive: true });
  const rng = new Rng(options.seed);
  const ctx: SampleContext = {
    rng, typist: new Typist(rng), asOf: options.asOf, year: Number(options.asOf.slice(0, 4)), historyStart: plusYears(options.asOf, -5),
  };
  const open = (tab: RowTabName | 'settings') => new TabWriter(join(options.out, `${tab}.csv`), tab === 'settings' ? ['key', 'value'] : tabColumns(tab));
  const writers = Object.fromEntries([...TAB_ORDER, 'settings' as const].map((tab) => [tab, open(tab)])) as Record<RowTabName | 'settings', TabWriter>;
  const writeAll = (tab: RowTabName | 'settings', rows: Record<string, string | number | undefined>[]) => rows.forEach((r) => writers[tab].write(r));

  writeAll('settings', settingsRows());
  const staff = Array.from({ length: 3 }, () => `${rng.zh.person.lastName()}${rng.zh.person.firstName()}`);
  const { campaigns, rows: campaignRows } = planCampaigns(ctx);
  writeAll('campaigns', campaignRows);
  const { events, rows: eventRows } = planEvents(ctx, eventCount(options.contacts), campaigns);
  writeAll('events', eventRows);
  const { mailings, newsletters, rows: mailingRows, stories } = planMailings(ctx, targetedMailings(options.contacts), staff);
  writeAll('mailings', mailingRows);
  writeAll('stories', stories);
  writeAll('impact', impactRows(ctx));
  writeAll('goals', goalRows(ctx));

  const giftWriter = new GiftWriter(ctx, writers.donations, writers.recurring, new Attributor(ctx, campaigns, newsletters));
  const world = { ctx, giftWriter, attendance: new Attendance(ctx, writers.participants, giftWriter, events) };
  const mailer = new Mailer(ctx, mailings);
  const width = Math.max(5, String(options.contacts).length);
  let seq = 0;
  const nextId = () => `C${String(++seq).padStart(width, '0')}`;
  const emit = (person: Person) => {
    mailer.add(person);
    return writers.contacts.write(person.row);
  };
  const planted = writePersonas(world, nextId, emit);
  while (seq < options.contacts) emit(randomSupporter(world, nextId()));
  mailer.write(writers.email_events);

  const files = Object.entries(writers).map(([tab, w]) => {
    w.close();
    return { tab, path: w.path, rows: w.rows };
  });
  return { files, planted, donationTotals: giftWriter.totals };
}
