import { basePath } from './base-path.ts';
import { site } from './data.ts';

import { LOCALES, type Locale } from '../../sync/locale.ts';

export { LOCALES, type Locale };

const zh = {
  skip: '跳到主要內容',
  navLabel: '主要導覽',
  home: '首頁',
  impact: '成果報告',
  map: '支持者地圖',
  newsletters: '電子報',
  unsubscribe: '取消訂閱',
  otherLanguage: 'English',
  homeIntro: (org: string) => `${org} 的公開募款與成果：這裡的每個數字都來自我們的捐款紀錄，只有總數，沒有任何個人資料。`,
  headline: '至今的支持',
  raised: '累計募得',
  donors: '捐款人',
  gifts: '捐款筆數',
  recurringDonors: '定期定額捐款人',
  openCampaigns: '進行中的募款',
  noOpenCampaigns: '目前沒有進行中的募款活動。',
  readImpact: '閱讀完整成果報告',
  seeMap: '看支持者分布地圖',
  asOf: (date: string) => `資料截至 ${date}`,
  lastUpdated: (date: string) => `最後更新：${date}`,
  goal: '目標',
  donorCount: (n: string) => `${n} 位捐款人`,
  daysLeft: (n: string) => `還有 ${n} 天`,
  lastDay: '今天是最後一天',
  ended: '這個募款活動已結束，謝謝所有支持者。',
  noEndDate: '長期募款',
  progress: '募款進度',
  percentOfGoal: (p: string) => `已達成目標的 ${p}`,
  giveTitle: '捐款支持',
  oneTime: '單筆捐款',
  monthly: '每月定期捐款',
  frequency: '捐款方式',
  donateAmount: (amount: string) => `捐款 ${amount}`,
  donateMonthlyAmount: (amount: string) => `每月捐款 ${amount}`,
  donateNow: '前往捐款頁面',
  otherAmount: '其他金額',
  notOnline: '這個活動尚未開放線上捐款，歡迎與我們聯絡。',
  donateCta: (title: string) => `支持「${title}」`,
  impactTitle: '成果報告',
  impactIntro: '我們募得多少、來自多少人、做了什麼。每張圖表下方都有相同數字的表格，方便查核。',
  byMonth: '每月募得金額',
  byYear: '每年募得金額',
  donorsPerYear: '每年捐款人數',
  retention: '捐款人留存率',
  retentionNote: '前一年的捐款人中，今年再次捐款的比例。',
  recurringPerYear: '每年定期定額捐款人數',
  campaignResults: '募款活動成果',
  outcomes: '工作成果',
  month: '月份',
  year: '年度',
  amount: '金額',
  newDonors: '新捐款人',
  retentionRate: '留存率',
  campaign: '募款活動',
  period: '期間',
  metric: '項目',
  value: '數值',
  note: '說明',
  noData: '尚無資料。',
  endedShort: '已結束',
  table: '查看數字表格',
  chartLabel: (title: string) => `${title}圖表；數字見下方表格`,
  mapTitle: '支持者地圖',
  mapIntro: (n: string) => `同意公開所在地的支持者，依縣市或國家計數。少於 ${n} 位的地區只顯示「少於 ${n} 位」，不顯示確切人數，也不顯示比縣市更細的位置。`,
  taiwan: '臺灣',
  abroad: '海外',
  region: '地區',
  supporters: '支持者',
  fewer: (n: string) => `少於 ${n} 位`,
  noSupporters: '尚無',
  mapEmpty: '目前還沒有同意公開所在地的支持者。',
  legend: '圖例',
  mapLabel: (where: string) => `${where}支持者分布圖；數字見旁邊的表格`,
  newslettersTitle: '電子報',
  newslettersIntro: '寄給支持者的公開電子報網頁版，不含任何收件人資料。',
  newslettersEmpty: '還沒有公開的電子報。',
  sentOn: (date: string) => `寄出日期：${date}`,
  backToNewsletters: '回到電子報列表',
  unsubscribeTitle: '取消訂閱電子報',
  unsubscribeIntro: '按下按鈕，我們就不再寄電子報給您。處理可能需要幾天。',
  tokenLabel: '取消訂閱代碼（來自電子報中的連結）',
  unsubscribeButton: '取消訂閱',
  noToken: '這個連結沒有取消訂閱代碼。請使用電子報最下方的「取消訂閱」連結，或直接回覆電子報告訴我們。',
  noForm: '請直接回覆任何一封電子報，告訴我們您想取消訂閱，我們會盡快處理。',
  noScript: '這個頁面需要 JavaScript 才能讀取連結中的代碼；您也可以直接回覆電子報取消訂閱。',
  notFoundTitle: '找不到這個頁面',
  notFoundText: '這個網址沒有頁面。請從首頁重新開始。',
};

type Strings = typeof zh;

const en: Strings = {
  skip: 'Skip to main content',
  navLabel: 'Main',
  home: 'Home',
  impact: 'Impact report',
  map: 'Supporter map',
  newsletters: 'Newsletters',
  unsubscribe: 'Unsubscribe',
  otherLanguage: '中文',
  homeIntro: (org) => `Where ${org}'s support comes from and what it does: every number here comes from our donation records, as totals only, with no personal data.`,
  headline: 'Support so far',
  raised: 'Raised',
  donors: 'Donors',
  gifts: 'Gifts',
  recurringDonors: 'Monthly donors',
  openCampaigns: 'Open campaigns',
  noOpenCampaigns: 'There are no open campaigns right now.',
  readImpact: 'Read the full impact report',
  seeMap: 'See where our supporters are',
  asOf: (date) => `Figures as of ${date}`,
  lastUpdated: (date) => `Last updated ${date}`,
  goal: 'Goal',
  donorCount: (n) => `${n} donors`,
  daysLeft: (n) => `${n} days left`,
  lastDay: 'Last day today',
  ended: 'This campaign has ended. Thank you to everyone who gave.',
  noEndDate: 'Ongoing',
  progress: 'Progress',
  percentOfGoal: (p) => `${p} of the goal`,
  giveTitle: 'Give',
  oneTime: 'One-time gift',
  monthly: 'Monthly gift',
  frequency: 'How often',
  donateAmount: (amount) => `Give ${amount}`,
  donateMonthlyAmount: (amount) => `Give ${amount} a month`,
  donateNow: 'Go to the donation page',
  otherAmount: 'Another amount',
  notOnline: 'Online giving is not open for this campaign yet; please get in touch.',
  donateCta: (title) => `Support “${title}”`,
  impactTitle: 'Impact report',
  impactIntro: 'What we raised, from how many people, and what it did. Every chart has a table of the same numbers below it, so you can check them.',
  byMonth: 'Raised by month',
  byYear: 'Raised by year',
  donorsPerYear: 'Donors per year',
  retention: 'Donor retention',
  retentionNote: 'The share of last year’s donors who gave again this year.',
  recurringPerYear: 'Monthly donors per year',
  campaignResults: 'Campaign results',
  outcomes: 'Outcomes',
  month: 'Month',
  year: 'Year',
  amount: 'Amount',
  newDonors: 'New donors',
  retentionRate: 'Retention',
  campaign: 'Campaign',
  period: 'Period',
  metric: 'Measure',
  value: 'Value',
  note: 'Note',
  noData: 'No figures yet.',
  endedShort: 'ended',
  table: 'Show the numbers',
  chartLabel: (title) => `Chart: ${title}; the numbers are in the table below`,
  mapTitle: 'Supporter map',
  mapIntro: (n) => `Supporters who agreed to show where they are, counted by county, city or country. Regions with fewer than ${n} show “fewer than ${n}”, never an exact count, and nothing finer than a county or city is shown.`,
  taiwan: 'Taiwan',
  abroad: 'Abroad',
  region: 'Region',
  supporters: 'Supporters',
  fewer: (n) => `fewer than ${n}`,
  noSupporters: 'none',
  mapEmpty: 'No supporters have agreed to show their region yet.',
  legend: 'Legend',
  mapLabel: (where) => `Map of supporters in ${where}; the numbers are in the table beside it`,
  newslettersTitle: 'Newsletters',
  newslettersIntro: 'Web versions of the newsletters we sent, with no recipient’s data.',
  newslettersEmpty: 'No public newsletters yet.',
  sentOn: (date) => `Sent ${date}`,
  backToNewsletters: 'Back to all newsletters',
  unsubscribeTitle: 'Unsubscribe from our newsletter',
  unsubscribeIntro: 'Press the button and we will stop sending you newsletters. It may take a few days.',
  tokenLabel: 'Unsubscribe code (from the link in the newsletter)',
  unsubscribeButton: 'Unsubscribe',
  noToken: 'This link has no unsubscribe code. Use the “unsubscribe” link at the bottom of a newsletter, or reply to it and tell us.',
  noForm: 'Reply to any of our newsletters and tell us you want to unsubscribe; we will do it promptly.',
  noScript: 'This page needs JavaScript to read the code in your link; you can also reply to a newsletter to unsubscribe.',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is no page at this address. Start again from the home page.',
};

export const STRINGS: Record<Locale, Strings> = { 'zh-TW': zh, en };

export const defaultLocale: Locale = site.default_locale;
export const otherLocale = (locale: Locale): Locale => (locale === 'en' ? 'zh-TW' : 'en');

/** The default locale lives at /, the other under /en/ (or /zh-tw/ when English is the default). */
const prefix = (locale: Locale) => (locale === defaultLocale ? undefined : locale.toLowerCase());

const base = basePath(site.site_url);

/** A page's address in a locale; `path` is the locale-free path, e.g. /impact/. */
export const href = (locale: Locale, path: string) => `${base}${prefix(locale) ? `${prefix(locale)}/` : ''}${path.slice(1)}`;

/** getStaticPaths for a page that exists once per locale. */
export const localePaths = () => LOCALES.map((locale) => ({ params: { lang: prefix(locale) }, props: { locale } }));

/** getStaticPaths for one page per item (a campaign, a newsletter) per locale; the page gets `item`. */
export const localeItemPaths = <T>(items: T[], params: (item: T) => Record<string, string>) =>
  localePaths().flatMap((page) => items.map((item) => ({ params: { ...page.params, ...params(item) }, props: { ...page.props, item } })));

const dateOf = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

export function formatters(locale: Locale) {
  const number = new Intl.NumberFormat(locale);
  return {
    number: (n: number) => number.format(n),
    /** Minor units shown exactly: cents only when there are any. */
    money: (minor: number, currency: string) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minor % 100 ? 2 : 0, maximumFractionDigits: 2 }).format(minor / 100),
    percent: (ratio: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio),
    date: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(dateOf(iso)),
    month: (yyyyMm: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(dateOf(`${yyyyMm}-01`)),
    dateTime: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC',
  };
}
