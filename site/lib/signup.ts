import { TAIWAN_REGIONS } from '../../sync/regions/taiwan.ts';
import { CHANNELS, EMAIL_FREQUENCIES, type Topic } from '../../sync/schema/google-form.ts';
import { type Locale, STRINGS } from './i18n.ts';

/** The site's names for the well-known topic ids; the org's own label (settings.topics) comes first. */
const TOPIC_NAMES: Record<string, Record<Locale, string>> = {
  newsletter: { 'zh-TW': '電子報', en: 'Newsletter' },
  appeals: { 'zh-TW': '緊急募款', en: 'Urgent appeals' },
  events: { 'zh-TW': '活動與講座', en: 'Events' },
  volunteering: { 'zh-TW': '志工招募', en: 'Volunteering' },
};

export const topicLabel = (topic: Topic, locale: Locale) => topic.label ?? TOPIC_NAMES[topic.id]?.[locale] ?? topic.id;

export function channelChoices(locale: Locale) {
  const t = STRINGS[locale];
  const names: Record<(typeof CHANNELS)[number], string> = { email: t.channelEmail, sms: t.channelSms };
  return CHANNELS.map((id) => ({ id, label: names[id] }));
}

export function frequencyChoices(locale: Locale) {
  const t = STRINGS[locale];
  const names: Record<(typeof EMAIL_FREQUENCIES)[number], string> = { every: t.frequencyEvery, monthly: t.frequencyMonthly, quarterly: t.frequencyQuarterly };
  return EMAIL_FREQUENCIES.map((id) => ({ id, label: names[id] }));
}

/** Taiwan's counties and cities in the page's language (sync reads either language's names), then "elsewhere". */
export function regionChoices(locale: Locale) {
  const t = STRINGS[locale];
  return [
    ...TAIWAN_REGIONS.map((r) => {
      const name = locale === 'en' ? r.name_en : r.name_zh;
      return { value: name, label: name };
    }),
    { value: 'other', label: t.regionOther },
  ];
}
