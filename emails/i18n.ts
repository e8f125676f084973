import { LOCALES, type Locale } from '../sync/locale.ts';

export type { Locale };

/** Every word the emails say, in the two languages the team writes in. */

const zh = {
  greeting: (name?: string) => (name ? `${name}，您好：` : '親愛的朋友，您好：'),
  webVersion: '在瀏覽器中閱讀',
  unsubscribe: '取消訂閱',
  preferences: '選擇您想收到的內容',
  unsubscribeNote: '您收到這封信，是因為您曾同意接收我們的電子報。',
  readMore: '閱讀全文',
  by: (author: string) => `撰文：${author}`,
  keepSupporting: '繼續支持我們',
  renew: '延續每月捐款',
  donate: '支持我們',
  thankYouTitle: '謝謝您的第一筆捐款',
  thankYouBody: (gift?: string, date?: string) =>
    gift ? `我們已收到您${date ? `在 ${date} ` : ''}的捐款 ${gift}。您的支持讓我們的工作得以繼續。` : '我們已收到您的捐款。您的支持讓我們的工作得以繼續。',
  impactTitle: '您的捐款帶來的改變',
  impactIntro: (total?: string) =>
    total ? `到目前為止，您一共捐了 ${total}。這些是您的支持促成的事：` : '這些是您和其他支持者一起促成的事：',
  impactFallback: '因為有您，我們的工作持續進行。',
  endingTitle: '您的定期捐款即將到期',
  endingBody: (amount?: string, end?: string) =>
    `您${amount ? `每期 ${amount} ` : ''}的定期捐款${end ? `將於 ${end} ` : '即將'}結束。謝謝您一路以來的支持，希望您願意繼續陪伴我們。`,
  birthdayTitle: '生日快樂！',
  birthdayBody: '祝您生日快樂，新的一歲平安順心。謝謝您一直以來與我們同行。',
  totals: (total: string, gifts: number) => `您至今共捐款 ${gifts} 次，合計 ${total}。`,
  lastGift: (gift: string, date: string) => `最近一次捐款：${date}，${gift}。`,
  archiveNote: '這是電子報的網頁版。',
};

const en: typeof zh = {
  greeting: (name?: string) => (name ? `Dear ${name},` : 'Dear friend,'),
  webVersion: 'View in your browser',
  unsubscribe: 'Unsubscribe',
  preferences: 'Choose what you receive',
  unsubscribeNote: 'You are receiving this email because you agreed to hear from us.',
  readMore: 'Read more',
  by: (author: string) => `By ${author}`,
  keepSupporting: 'Keep supporting us',
  renew: 'Continue your monthly gift',
  donate: 'Support us',
  thankYouTitle: 'Thank you for your first gift',
  thankYouBody: (gift?: string, date?: string) =>
    gift ? `We received your gift of ${gift}${date ? ` on ${date}` : ''}. Your support keeps our work going.` : 'We received your gift. Your support keeps our work going.',
  impactTitle: 'What your gift changed',
  impactIntro: (total?: string) =>
    total ? `So far you have given ${total}. This is what your support made possible:` : 'This is what you and our other supporters made possible:',
  impactFallback: 'Because of you, our work goes on.',
  endingTitle: 'Your recurring gift is ending soon',
  endingBody: (amount?: string, end?: string) =>
    `Your recurring gift${amount ? ` of ${amount}` : ''} ${end ? `ends on ${end}` : 'is ending soon'}. Thank you for your support so far; we hope you will stay with us.`,
  birthdayTitle: 'Happy birthday!',
  birthdayBody: 'Wishing you a happy birthday and a good year ahead. Thank you for being with us.',
  totals: (total: string, gifts: number) => `You have given ${gifts} ${gifts === 1 ? 'time' : 'times'}, ${total} in all.`,
  lastGift: (gift: string, date: string) => `Your last gift: ${gift} on ${date}.`,
  archiveNote: 'This is the web version of our newsletter.',
};

export type Strings = typeof zh;
export const STRINGS: Record<Locale, Strings> = { 'zh-TW': zh, en };

export const asLocale = (value: string | undefined, fallback: Locale): Locale =>
  LOCALES.find((l) => l.toLowerCase() === value?.trim().toLowerCase()) ?? (value?.toLowerCase().startsWith('zh') ? 'zh-TW' : value?.toLowerCase().startsWith('en') ? 'en' : fallback);
