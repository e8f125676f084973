import type { IsoDate } from '../sync/cells/dates.ts';
import { plusDays } from '../sync/periods.ts';
import type { SampleContext } from './context.ts';
import type { Cells } from './writer.ts';

export interface Campaign {
  slug: string;
  start: IsoDate;
  end?: IsoDate;
  /** How likely a one-time gift in the campaign's window is given to it. */
  pull: number;
}

/** A sent newsletter whose links bring gifts back tagged utm_source=newsletter. */
export interface SentNewsletter {
  mailing_id: string;
  date: IsoDate;
}

/** Gifts up to this many days after a newsletter may come from its links. */
const NEWSLETTER_PULL_DAYS = 6;

interface CampaignText {
  title: string;
  summary: string;
  body: string;
  goal?: number;
  published: boolean;
  allowRecurring: boolean;
}

const season = (d: IsoDate) => (['lunar-new-year', 'lunar-new-year', 'spring', 'spring', 'spring', 'summer', 'summer', 'summer', 'autumn', 'autumn', 'year-end', 'year-end'] as const)[Number(d.slice(5, 7)) - 1];

const SEASON_TITLES: Record<ReturnType<typeof season>, string> = {
  'lunar-new-year': '新春團圓餐桌', spring: '春季陪讀計畫', summer: '暑期營隊助學', autumn: '秋季社區共餐', 'year-end': '年終溫暖募款',
};

function body(title: string, goal?: number): string {
  return [
    `## ${title}`,
    '',
    '每一份支持，都會變成社區裡看得見的改變。今年我們和在地夥伴一起，陪伴更多需要幫助的家庭。',
    '',
    `- **課後陪讀**：讓孩子放學後有個安心的地方`,
    `- **共餐服務**：長輩每週三次熱騰騰的午餐`,
    `- **急難關懷**：在家庭最需要的時候及時伸出援手`,
    '',
    goal ? `目標金額 NT$${goal.toLocaleString('en-US')}，邀請您一起完成。` : '邀請您成為每月固定支持的夥伴。',
  ].join('\n');
}

/** The campaigns: a few past appeals, an ongoing monthly-giving one, the open one at D, and a draft. */
export function planCampaigns(ctx: SampleContext): { campaigns: Campaign[]; rows: Cells[] } {
  const { year: y, asOf } = ctx;
  const specs: (Campaign & CampaignText)[] = [
    { slug: 'monthly-partners', start: `${y - 4}-01-01`, pull: 0, title: '每月好鄰居夥伴', summary: '每月固定捐款，讓服務不中斷。', body: body('每月好鄰居夥伴'), published: true, allowRecurring: true },
    ...[4, 3, 2, 1].map((back) => ({
      slug: `year-end-${y - back}`, start: `${y - back}-11-01`, end: `${y - back}-12-31`, pull: 0.5,
      title: `${y - back} 年終溫暖募款`, summary: '陪伴社區家庭溫暖過冬。', body: body('年終溫暖募款', 800_000),
      goal: 800_000, published: back === 1, allowRecurring: true,
    })),
    { slug: `flood-relief-${y - 2}`, start: `${y - 2}-08-10`, end: `${y - 2}-09-30`, pull: 0.6, title: '豪雨急難救助', summary: '協助受災家庭清理家園、重建生活。', body: body('豪雨急難救助', 300_000), goal: 300_000, published: false, allowRecurring: false },
    { slug: `school-lunch-${y - 1}`, start: `${y - 1}-03-01`, end: `${y - 1}-05-31`, pull: 0.45, title: '孩子的營養午餐', summary: '讓每個孩子都吃得飽、吃得好。', body: body('孩子的營養午餐', 500_000), goal: 500_000, published: true, allowRecurring: true },
  ];
  const current = season(asOf);
  specs.push({
    slug: `${current}-${y}`, start: plusDays(asOf, -40), end: plusDays(asOf, 39), pull: 0.55,
    title: SEASON_TITLES[current], summary: '現在就加入，和我們一起守護社區。', body: body(SEASON_TITLES[current], 600_000),
    goal: 600_000, published: true, allowRecurring: true,
  });
  const nextStart = plusDays(asOf, 100);
  const next = season(nextStart);
  specs.push({
    slug: `${next}-${nextStart.slice(0, 4)}`, start: nextStart, end: plusDays(nextStart, 60), pull: 0,
    title: SEASON_TITLES[next], summary: '籌備中', body: body(SEASON_TITLES[next], 400_000), goal: 400_000, published: false, allowRecurring: false,
  });

  const { typist, rng } = ctx;
  const rows = specs.map((c) => ({
    slug: c.slug, title: c.title,
    goal: c.goal === undefined ? undefined : typist.amount(c.goal * 100, 'TWD'),
    currency: 'TWD',
    start_date: typist.date(c.start), end_date: typist.date(c.end),
    payment_url: `https://donate.example.org/${c.slug}`,
    suggested_amounts: c.allowRecurring ? rng.pick(['500, 1000, 3000', '500、1,000、3,000', '300, 1000, 5000']) : '1000, 3000, 5000',
    allow_recurring: typist.bool(c.allowRecurring),
    summary: c.summary, body: c.body,
    image_url: `https://example.org/images/campaigns/${c.slug}.jpg`,
    published: typist.bool(c.published),
  }));
  return { campaigns: specs.map(({ slug, start, end, pull }) => ({ slug, start, end, pull })), rows };
}

const SOCIAL = [['facebook', 5], ['instagram', 2], ['line', 3]] as const;

/**
 * Where an online gift came from: the campaign open on its date (if the donor answered it) and the
 * UTM tags of the link they followed: ads, social posts, or a newsletter sent in the days before.
 */
export class Attributor {
  private readonly newsletters: (SentNewsletter & { until: IsoDate })[];

  constructor(
    private readonly ctx: SampleContext,
    private readonly campaigns: Campaign[],
    newsletters: SentNewsletter[],
  ) {
    this.newsletters = newsletters.map((m) => ({ ...m, until: plusDays(m.date, NEWSLETTER_PULL_DAYS) }));
  }

  /** The campaign and utm_* cells of a gift. */
  attribute(date: IsoDate, online: boolean): Cells {
    const { rng } = this.ctx;
    const open = this.campaigns.find((c) => c.pull > 0 && date >= c.start && (!c.end || date <= c.end));
    const campaign = open && rng.chance(open.pull) ? open.slug : undefined;
    if (!online || !rng.chance(0.55)) return { campaign };
    const mail = this.newsletters.find((m) => date >= m.date && date <= m.until);
    if (mail && rng.chance(0.4)) {
      return { campaign, utm_source: 'newsletter', utm_medium: 'email', utm_campaign: mail.mailing_id, utm_content: rng.pick(['story-1', 'story-2', 'donate-button']) };
    }
    const tag = campaign ?? 'always-on';
    if (rng.chance(0.3)) {
      return { campaign, utm_source: 'google', utm_medium: 'cpc', utm_campaign: tag, utm_term: rng.pick(['捐款', '弱勢兒童', '課後陪讀', '公益團體', 'donate taiwan']) };
    }
    const source = rng.weighted(SOCIAL);
    const paid = source !== 'line' && rng.chance(0.5);
    return {
      campaign, utm_source: source, utm_medium: paid ? 'cpc' : 'social', utm_campaign: tag,
      utm_content: paid ? rng.pick(['video-a', 'video-b', 'carousel', 'single-image']) : rng.pick(['post', 'story', 'reel']),
    };
  }
}
