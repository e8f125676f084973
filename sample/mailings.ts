import { TZDate } from '@date-fns/tz';
import type { IsoDate } from '../sync/cells/dates.ts';
import { plusDays, plusMonths } from '../sync/periods.ts';
import type { SentNewsletter } from './campaigns.ts';
import { ORG_TIME_ZONE, type SampleContext } from './context.ts';
import type { Person } from './people.ts';
import type { Cells, TabWriter } from './writer.ts';

interface SampleMailing {
  id: string;
  date: IsoDate;
  /** When sending started (ms since the epoch); undefined for the scheduled one. */
  sentAt?: number;
  /** Expected open rate of this issue. */
  openRate: number;
  /** Share of the eligible audience it went to (targeted mailings reach a segment, not everyone). */
  reach: number;
  tag?: string;
}

/** A targeted mailing kind: the template and segment the newsletters issue sends with. */
const TARGETED = [
  { key: 'thanks', name: '首次捐款感謝信', subject: '謝謝您的第一份支持 ❤', template: 'thank_you', segment: 'first_time_donors' },
  { key: 'impact', name: '扣款失敗後的影響力分享', subject: '您的支持，改變了這些事', template: 'impact_update', segment: 'failed_no_retry', exclude: 'recent_donors' },
  { key: 'ending', name: '定期定額即將到期', subject: '謝謝您這一年的陪伴，要繼續同行嗎？', template: 'recurring_ending', segment: 'recurring_ending' },
  { key: 'birthday', name: '生日祝福', subject: '生日快樂！來自好鄰居的祝福', template: 'birthday', segment: 'birthdays' },
  { key: 'invite', name: '邀請成為每月夥伴', subject: '成為每月好鄰居夥伴', template: 'newsletter', segment: 'repeat_single_donors', exclude: 'recurring_any' },
  { key: 'results', name: '近期捐款人成果報告', subject: '這三個月，您的捐款做到了', template: 'impact_update', segment: 'recent_donors?months=3' },
  { key: 'winback', name: '好久不見的問候', subject: '好久不見，社區最近的消息', template: 'impact_update', segment: 'lapsed_3m' },
  { key: 'volunteers', name: '志工通訊', subject: '志工夥伴們，下個月的排班來囉', template: 'newsletter', segment: 'tag:志工', tag: '志工' },
] as const;

const SUBJECTS = [
  '孩子們的暑假作業本', '一碗熱湯的溫度', '志工專訪：週末的陪伴', '年終募款進度報告', '社區小農市集開張', '急難救助個案回訪',
  '寒冬送暖物資發放', '財務透明：收支報告', '新夥伴加入：社工師的一天', '共餐服務滿一週年', '課輔班的期末成果', '謝謝您陪我們走過這一年',
];
const STORY_TITLES = [
  '課輔班的孩子們完成了第一本繪本', '長輩共餐：每週三次的熱湯', '志工專訪：週末的陪伴', '社區小農市集開張', '急難救助個案回訪',
  '暑期營隊報名開始', '財務透明：上半年收支報告', '新夥伴加入：社工師的一天', '寒冬送暖物資發放', '感謝企業夥伴的物資捐贈',
];
const NEWSLETTER_HOUR = 11;
const BATCH = 100;
const HOUR_MS = 3_600_000;

/** 11:00 (or any hour) in Taipei on a date, as an instant. */
const atOrgHour = (date: IsoDate, hour: number) => {
  const [y, m, d] = date.split('-').map(Number);
  return new TZDate(y, m - 1, d, hour, 0, 0, ORG_TIME_ZONE).getTime();
};
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const wallClock = (date: IsoDate, hour: number) => `${date} ${String(hour).padStart(2, '0')}:00`;

/**
 * A year of monthly newsletters sent on the 15th (opens trending up over the year), the next one
 * scheduled after D, targeted mailings to segments spread over the year, and 2–4 stories each.
 */
export function planMailings(ctx: SampleContext, targeted: number, staff: readonly string[]) {
  const { rng, typist, asOf } = ctx;
  const mailings: SampleMailing[] = [];
  const rows: Cells[] = [];
  const stories: Cells[] = [];
  const lastSent = asOf.slice(8) >= '15' ? `${asOf.slice(0, 8)}15` : plusMonths(`${asOf.slice(0, 8)}15`, -1);

  const addStories = (mailingId: string) => {
    const count = rng.int(2, 4);
    for (let position = 1; position <= count; position++) {
      stories.push({
        mailing_id: mailingId, position, title: rng.pick(STORY_TITLES),
        body: `${rng.pick(['這個月', '上週', '最近'])}，我們在社區裡看見了**改變**。\n\n${rng.pick(['謝謝每一位支持者。', '這一切都因為有您。', '歡迎到[我們的網站](https://example.org)看更多照片。'])}`,
        link_url: `https://example.org/stories/${mailingId}-${position}`,
        image_url: rng.chance(0.6) ? `https://example.org/images/stories/${rng.int(1, 40)}.jpg` : undefined,
        author: rng.pick(staff),
      });
    }
  };

  for (let back = 11; back >= 0; back--) {
    const date = plusMonths(lastSent, -back);
    const id = `nl-${date.slice(0, 7)}`;
    const sentAt = atOrgHour(date, NEWSLETTER_HOUR) + rng.int(0, 180) * 1000;
    mailings.push({ id, date, sentAt, openRate: 0.6 + (0.066 * (11 - back)) / 11, reach: 1 });
    rows.push({
      mailing_id: id, name: `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月電子報`, subject: `好鄰居月報｜${SUBJECTS[Number(date.slice(5, 7)) - 1]}`,
      preview_text: '本月的社區故事與感謝', template: 'newsletter', segment: 'all', locale: 'zh-TW',
      scheduled_for: wallClock(date, NEWSLETTER_HOUR), status: typist.word('sent', { sent: ['已寄出'] }),
      sent_at: new Date(sentAt).toISOString(), created_by: staff[back % staff.length], public: typist.bool(back % 6 !== 5),
    });
    addStories(id);
  }

  const next = plusMonths(lastSent, 1);
  rows.push({
    mailing_id: `nl-${next.slice(0, 7)}`, name: `${next.slice(0, 4)}年${Number(next.slice(5, 7))}月電子報`, subject: `好鄰居月報｜${SUBJECTS[Number(next.slice(5, 7)) - 1]}`,
    preview_text: '本月的社區故事與感謝', template: 'newsletter', segment: 'all', locale: 'zh-TW',
    scheduled_for: wallClock(next, NEWSLETTER_HOUR), status: 'scheduled', created_by: staff[0], public: typist.bool(true),
  });
  addStories(`nl-${next.slice(0, 7)}`);

  // Targeted mailings on distinct days of the past year (ids carry the date), the first a thank-you.
  const count = Math.min(targeted, 360);
  for (let i = 0; i < count; i++) {
    const kind = TARGETED[i % TARGETED.length];
    const date = plusDays(asOf, -364 + Math.floor((i * 364) / count) + 1);
    const id = `${kind.key}-${date}`;
    const hour = rng.int(9, 17);
    const sentAt = atOrgHour(date, hour);
    mailings.push({ id, date, sentAt, openRate: rng.float(0.55, 0.75), reach: 'tag' in kind ? 1 : 0.2, tag: 'tag' in kind ? kind.tag : undefined });
    rows.push({
      mailing_id: id, name: kind.name, subject: kind.subject, template: kind.template, segment: kind.segment,
      exclude_segment: 'exclude' in kind ? kind.exclude : undefined,
      scheduled_for: wallClock(date, hour), status: 'sent', sent_at: new Date(sentAt).toISOString(),
      created_by: rng.pick(staff), public: typist.bool(false),
    });
    addStories(id);
  }
  const newsletters: SentNewsletter[] = mailings.filter((m) => m.id.startsWith('nl-')).map((m) => ({ mailing_id: m.id, date: m.date }));
  return { mailings, newsletters, rows, stories };
}

interface Recipient {
  id: string;
  email: string;
  created: IsoDate;
  engagement: number;
  tags: readonly string[];
  /** A dead mailbox: the first message bounces, and the address is suppressed from then on. */
  bounces: boolean;
}

/**
 * The send log Resend would leave behind: one row per message of every sent mailing, with its
 * latest event. Contacts are remembered compactly while the contacts tab streams out.
 */
export class Mailer {
  private readonly recipients: Recipient[] = [];

  constructor(
    private readonly ctx: SampleContext,
    private readonly mailings: SampleMailing[],
  ) {}

  add(person: Person): void {
    if (!person.mailable || !person.email) return;
    this.recipients.push({
      id: person.id, email: person.email, created: person.created, engagement: person.engagement, tags: person.tags,
      bounces: this.ctx.rng.chance(0.015),
    });
  }

  write(events: TabWriter): void {
    const { rng, asOf } = this.ctx;
    const horizon = atOrgHour(plusDays(asOf, 1), 0);
    const suppressed = new Set<string>();
    const sent = this.mailings.filter((m) => m.sentAt !== undefined).sort((a, b) => a.sentAt! - b.sentAt!);
    for (const mailing of sent) {
      let n = 0;
      for (const r of this.recipients) {
        if (r.created > mailing.date || suppressed.has(r.id)) continue;
        if (mailing.tag ? !r.tags.includes(mailing.tag) : mailing.reach < 1 && !rng.chance(mailing.reach)) continue;
        const sentAt = mailing.sentAt! + Math.floor(n++ / BATCH) * 1000;
        let last = 'delivered';
        let opened: number | undefined;
        let clicked: number | undefined;
        if (r.bounces) {
          last = 'bounced';
          suppressed.add(r.id);
        } else {
          const p = Math.min(0.98, Math.max(0.02, mailing.openRate + (r.engagement - 0.5) * 0.7));
          // Most opens come within hours; none is recorded after D.
          const at = sentAt + Math.round(-Math.log(1 - rng.float(0, 0.999)) * 8 * HOUR_MS);
          if (rng.chance(p) && at < horizon) {
            opened = at;
            last = 'opened';
            if (rng.chance(0.0015)) {
              last = 'complained';
              suppressed.add(r.id);
            } else if (rng.chance(0.1 + 0.25 * r.engagement)) {
              clicked = opened + rng.int(5, 600) * 1000;
              last = clicked < horizon ? 'clicked' : 'opened';
              if (last === 'opened') clicked = undefined;
            }
          }
        }
        events.write({
          message_id: rng.uuid(), mailing_id: mailing.id, contact_id: r.id, email: r.email,
          sent_at: iso(sentAt), last_event: last, opened_at: iso(opened), clicked_at: iso(clicked),
          updated_at: iso(clicked ?? opened ?? sentAt + rng.int(2, 30) * 1000),
          // The sample's bounces are permanent: the address is never mailed again.
          bounce_type: last === 'bounced' ? 'hard' : undefined,
        });
      }
    }
  }
}
