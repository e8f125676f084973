/** The two languages the team writes in: settings, emails, receipts, the dashboard and the site use these. */
export const LOCALES = ['zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
