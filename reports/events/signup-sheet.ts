import { distance } from 'fastest-levenshtein';
import { idProblem } from '../../sync/cells/id-rule.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { CHANNELS, EMAIL_FREQUENCIES } from '../../sync/schema/google-form.ts';
import { UsageError } from '../../sync/errors.ts';
import type { Locale } from '../../sync/locale.ts';
import { type PurposeStatement, purposeStatement } from '../consent-text.ts';
import { joinPageUrl } from '../site-links.ts';

/**
 * The columns of the paper sign-up sheet: exactly the signups tab's own column names, in its
 * order, so staff type each handwritten row straight across into the tab.
 */
export const PAPER_COLUMNS = ['first_name', 'last_name', 'email', 'phone', 'region', 'channels', 'topics', 'frequency'] as const;
export type PaperColumn = (typeof PAPER_COLUMNS)[number];

/** Empty rows on the paper sheet: as many as fit a landscape A4 page under the statement. */
export const PAPER_ROWS = 10;

/** Everything the printed event sheet shows; the PDF (pdf.ts) and the HTML page (page.tsx) lay it out. */
export interface SignupSheet {
  locale: Locale;
  org: string;
  /** A band in the org's colour (settings brand_color); plain dark grey when it has none. */
  colour: string;
  event: { id: string; title: string; date: string; location?: string };
  /** …/join/?event=<id> on the public site, in the sheet's language: what the QR code encodes. */
  joinUrl: string;
  statement: PurposeStatement;
  /** What each paper column may hold (the ids staff type in), as a hint under the table. */
  choices: { channels: string; topics: string; frequency: string };
  text: Wording;
}

interface Wording {
  scan: string;
  orType: string;
  statementTitle: string;
  parts: { what: string; howOften: string; whoSees: string; howToLeave: string };
  /** After a label: the full-width colon in Chinese. */
  colon: string;
  version: (v: string) => string;
  paperTitle: string;
  paperIntro: string;
  forStaff: (eventId: string, version: string) => string;
  consent: string;
  columns: Record<PaperColumn, string>;
  choices: string;
  date: (iso: string) => string;
}

const formatDate = (locale: string) => (iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

const WORDING: Record<Locale, Wording> = {
  'zh-TW': {
    scan: '用手機掃描 QR code 訂閱我們的消息',
    orType: '或在瀏覽器輸入：',
    statementTitle: '我們為什麼收集您的資料',
    parts: { what: '收集目的', howOften: '寄送頻率', whoSees: '誰會看到', howToLeave: '如何退出' },
    colon: '：',
    version: (v) => `告知事項版本 ${v}`,
    paperTitle: '紙本訂閱登記表',
    paperIntro: '沒有手機也可以訂閱：請填寫一列，並在「同意」欄打勾，表示您已閱讀上方的告知事項。我們會寄一封確認信到您的電子郵件。',
    forStaff: (id, v) => `工作人員輸入 signups 分頁：source 填 paper，event_id 填 ${id}，consent_version 填 ${v}`,
    consent: '同意',
    columns: { first_name: '名', last_name: '姓', email: '電子郵件', phone: '手機', region: '縣市', channels: '聯絡方式', topics: '主題', frequency: '頻率' },
    choices: '可填的值',
    date: formatDate('zh-TW'),
  },
  en: {
    scan: 'Scan the QR code with your phone to sign up for our news',
    orType: 'or type this address into a browser:',
    statementTitle: 'Why we ask for your details',
    parts: { what: 'What we send', howOften: 'How often', whoSees: 'Who sees your details', howToLeave: 'How to leave' },
    colon: ': ',
    version: (v) => `Statement version ${v}`,
    paperTitle: 'Paper sign-up sheet',
    paperIntro: 'No phone? Sign up here: fill in one row and tick "I agree" to say you have read the statement above. We will email you to confirm.',
    forStaff: (id, v) => `For staff, typing rows into the signups tab: source paper, event_id ${id}, consent_version ${v}`,
    consent: 'I agree',
    columns: { first_name: 'First name', last_name: 'Last name', email: 'Email', phone: 'Mobile', region: 'Region', channels: 'Channels', topics: 'Topics', frequency: 'Frequency' },
    choices: 'Values',
    date: formatDate('en'),
  },
};

/**
 * Why `eventId` cannot be printed (an id unsafe in a path or URL), checked before any data is read;
 * the same rule sync applies to every event_id (idProblem).
 */
export function checkEventId(eventId: string): void {
  const why = idProblem(eventId);
  if (why) throw new UsageError(`event-signup ${eventId}: not an event id (${why}); give the event_id as it is in the events tab`);
}

/** The sheet for one event of the dataset, in `locale` (default: settings default_locale). */
export function signupSheet(dataset: Pick<Dataset, 'settings' | 'events'>, eventId: string, locale?: Locale): SignupSheet {
  checkEventId(eventId);
  const { settings } = dataset;
  const event = dataset.events.find((e) => e.event_id === eventId);
  if (!event) throw new UsageError(`event-signup: no event ${eventId} in the events tab (or its row has errors: run tidings sync)${nearIds(eventId, dataset.events.map((e) => e.event_id))}`);
  if (!settings.site_url) {
    throw new UsageError('event-signup: site_url is blank in the settings tab: set it to the public site\'s address (e.g. https://example.org), where the QR code\'s /join/ page is');
  }
  const sheetLocale = locale ?? settings.default_locale;
  return {
    locale: sheetLocale,
    org: settings.org_name,
    colour: settings.brand_color ?? '#333333',
    event: { id: event.event_id, title: event.title, date: event.date, location: event.location },
    joinUrl: joinPageUrl(settings.site_url, event.event_id, sheetLocale, settings.default_locale),
    statement: purposeStatement(settings, sheetLocale),
    choices: { channels: CHANNELS.join(', '), topics: settings.topics.map((t) => t.id).join(', '), frequency: EMAIL_FREQUENCIES.join(', ') },
    text: WORDING[sheetLocale],
  };
}

/** The event ids nearest a mistyped one (case aside), nearest first, for the error message. */
function nearIds(id: string, ids: string[]): string {
  if (ids.length === 0) return '; the events tab has no events yet: add the event there first';
  const lower = id.toLowerCase();
  const near = ids.map((other) => ({ other, d: distance(lower, other.toLowerCase()) })).sort((a, b) => a.d - b.d).slice(0, 5);
  return `; the closest event ids are ${near.map(({ other }) => other).join(', ')}`;
}
