import type { SampleContext } from './context.ts';
import { ORG_TIME_ZONE } from './context.ts';
import type { Cells } from './writer.ts';

/** The settings tab of the fictional organisation (addresses and domains are reserved examples). */
export function settingsRows(): Cells[] {
  const settings: Record<string, string> = {
    org_name: '台灣好鄰居協會',
    org_address: '10491 臺北市中山區範例路 100 號 3 樓',
    currency: 'TWD',
    timezone: ORG_TIME_ZONE,
    fiscal_year_start: '01-01',
    default_locale: 'zh-TW',
    site_url: 'https://example.org',
    email_from: '台灣好鄰居協會 <news@example.org>',
    email_reply_to: 'hello@example.org',
    map_min_supporters: '5',
    // 會費 is how this team writes membership dues in Chinese: not a gift either.
    non_donation_types: 'membership, event fee, 會費',
  };
  return Object.entries(settings).map(([key, value]) => ({ key, value }));
}

const METRICS = [
  { metric: '供餐人次', unit: '人次', base: 9_000, public: true },
  { metric: '課輔時數', unit: '小時', base: 2_400, public: true },
  { metric: '服務家庭數', unit: '戶', base: 180, public: true },
  { metric: '志工人數', unit: '人', base: 120, public: true },
  { metric: '行政成本比例', unit: '%', base: 14, public: false },
] as const;

/** Outcomes per year for the last four years, and per quarter so far this year. */
export function impactRows(ctx: SampleContext): Cells[] {
  const { rng, year, asOf } = ctx;
  const rows: Cells[] = [];
  const value = (base: number, growth: number) => Math.round(base * growth * rng.float(0.9, 1.1));
  for (let y = year - 4; y < year; y++) {
    const growth = 1 + (y - (year - 4)) * 0.12;
    for (const m of METRICS) {
      const v = m.unit === '%' ? Number((m.base / growth).toFixed(1)) : value(m.base, growth);
      rows.push({ period: String(y), metric: m.metric, value: rng.chance(0.2) ? v.toLocaleString('en-US') : v, unit: m.unit, note: y === year - 1 ? '年度報告' : undefined, public: m.public ? 'yes' : 'no' });
    }
  }
  const quarters = Math.floor((Number(asOf.slice(5, 7)) - 1) / 3);
  for (let q = 1; q <= quarters; q++) {
    for (const m of METRICS.slice(0, 2)) {
      rows.push({ period: `${year}-Q${q}`, metric: m.metric, value: value(m.base / 4, 1.5), unit: m.unit, public: q < quarters ? 'yes' : 'no', note: q === quarters ? '初步統計' : undefined });
    }
  }
  return rows;
}

/**
 * This year's goals, as the seed's team sets them: one clear, measurable goal first (donor
 * retention), then a newsletter goal and a segment to shrink.
 */
export function goalRows(ctx: SampleContext): Cells[] {
  return [
    { metric: 'donor_retention', target: '60%', fiscal_year: ctx.year, note: '今年最重要的目標：留住去年的捐款人' },
    { metric: 'open_rate', target: '66%', fiscal_year: ctx.year, note: '與去年的自己比較' },
    { metric: 'recurring_active', target: 60, fiscal_year: ctx.year, note: '邀請單筆捐款三次以上的人轉為定期定額' },
  ];
}
