import type { IsoDate } from '../sync/cells/dates.ts';
import type { Minor } from '../sync/cells/money.ts';
import { daysBetween, plusDays } from '../sync/periods.ts';
import type { Campaign } from './campaigns.ts';
import type { SampleContext } from './context.ts';
import type { GiftWriter } from './gifts.ts';
import { PARTICIPANT_STATUS_WORDS } from './typing.ts';
import type { Cells, TabWriter } from './writer.ts';

export interface SampleEvent {
  id: string;
  date: IsoDate;
  /** Paid events charge a fee, recorded as a donation of type "event fee" (not a gift). */
  fee?: Minor;
  campaign?: string;
}

export type ParticipantStatus = keyof typeof PARTICIPANT_STATUS_WORDS;

const TITLES = ['年度感恩餐會', '社區共餐日', '親子閱讀營', '志工培訓', '募款說明會', '二手義賣市集', '課輔成果發表會', '淨灘行動', '長輩健康講座', 'Open House 參訪日'];
const VENUES = ['臺北市中山區 社區活動中心', '新北市板橋區 好鄰居小站', '台中市西屯區 市民活動中心', '高雄市苓雅區 社區大學', '線上 (Google Meet)', '花蓮縣花蓮市 文化中心'];

/** Events over the last four years, one a month or so, plus one coming up after D. */
export function planEvents(ctx: SampleContext, count: number, campaigns: Campaign[]): { events: SampleEvent[]; rows: Cells[] } {
  const { rng, typist, asOf } = ctx;
  const span = daysBetween(plusDays(asOf, -4 * 365), plusDays(asOf, -7));
  const events: SampleEvent[] = [];
  const rows: Cells[] = [];
  for (let i = 0; i < count; i++) {
    const upcoming = i === count - 1;
    const date = upcoming ? plusDays(asOf, 25) : plusDays(asOf, -7 - Math.round(((count - 2 - i) * span) / Math.max(1, count - 1)) - rng.int(0, 5));
    const campaign = campaigns.find((c) => c.pull > 0 && date >= c.start && (!c.end || date <= c.end))?.slug;
    const id = `E${String(i + 1).padStart(3, '0')}`;
    const title = TITLES[i % TITLES.length];
    events.push({ id, date, campaign, fee: rng.chance(0.4) ? rng.pick([300, 500, 800]) * 100 : undefined });
    rows.push({ event_id: id, title: `${date.slice(0, 4)} ${title}`, date: typist.date(date), location: rng.pick(VENUES), campaign });
  }
  return { events, rows };
}

/** Writes participants, and the event fee each paying participant paid when registering. */
export class Attendance {
  constructor(
    private readonly ctx: SampleContext,
    private readonly participants: TabWriter,
    private readonly giftWriter: GiftWriter,
    readonly events: SampleEvent[],
  ) {}

  /** The last event held on or before D, and the one coming up after it. */
  get lastPast(): SampleEvent {
    return this.events[this.events.length - 2];
  }

  get upcoming(): SampleEvent {
    return this.events[this.events.length - 1];
  }

  attend(contactId: string, event: SampleEvent, status?: ParticipantStatus): void {
    const { rng, typist, asOf } = this.ctx;
    const past = event.date <= asOf;
    const chosen = status ?? (past
      ? rng.weighted([['attended', 75], ['no_show', 12], ['cancelled', 8], ['registered', 5]] as const)
      : rng.weighted([['registered', 9], ['cancelled', 1]] as const));
    const registered = plusDays(event.date, -rng.int(past ? 1 : 0, past ? 30 : 10));
    const registeredOn = registered <= asOf ? registered : asOf;
    this.participants.write({
      event_id: event.id, contact_id: contactId,
      status: typist.word(chosen, PARTICIPANT_STATUS_WORDS) || undefined,
      registered_at: typist.dateTime(registeredOn, rng.int(8, 22), rng.int(0, 59)),
    });
    if (event.fee && chosen !== 'cancelled') {
      this.giftWriter.gift({
        contactId, date: registeredOn, amount: event.fee, financialType: rng.pick(['event fee', 'Event Fee']),
        paymentMethod: rng.pick(['LINE Pay', '信用卡', '現金']), attribution: { campaign: event.campaign },
      });
    }
  }

  /** A random participant: one of the events held since they joined (or the next one). */
  attendSomething(contactId: string, since: IsoDate): void {
    const open = this.events.filter((e) => e.date >= since);
    if (open.length > 0) this.attend(contactId, this.ctx.rng.pick(open));
  }
}
