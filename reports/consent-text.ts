import type { Locale } from '../sync/locale.ts';
import type { Settings } from '../sync/schema/settings.ts';

/** The purpose statement's four parts (告知收集的原因及用途), shown before anyone signs up. */
export interface PurposeStatement {
  what: string;
  howOften: string;
  whoSees: string;
  howToLeave: string;
  version: string;
}

interface Wording {
  what: (org: string) => string;
  howOften: string;
  whoSees: string;
  howToLeave: string;
}

const DEFAULT_WORDING: Record<Locale, Wording> = {
  'zh-TW': {
    what: (org: string) => `${org} 會寄送您選擇的內容：電子報、緊急募款、活動與志工招募消息。`,
    howOften: '依您選擇的頻率寄送：每一期、每月摘要或每季摘要；電子報約每月一期。',
    whoSees: '您的資料只由本會工作人員用於聯繫您，不會出售、出租或提供給任何第三方。',
    howToLeave: '每封信都有一鍵取消訂閱與「選擇您要收到的內容」連結，隨時可以離開或調整。',
  },
  en: {
    what: (org: string) => `${org} will send what you choose: the newsletter, urgent appeals, events and volunteering news.`,
    howOften: 'As often as you choose: every mailing, a monthly digest or a quarterly digest; the newsletter comes about once a month.',
    whoSees: 'Only our staff see your details, to keep in touch with you; we never sell, rent or share them with anyone.',
    howToLeave: 'Every email has a one-click unsubscribe link and a "choose what you receive" link: leave or change your mind at any time.',
  },
};

/**
 * The statement as settings word it (consent_what, consent_how_often, consent_who_sees,
 * consent_how_to_leave); a blank part gets the default wording in the page's language. One place,
 * so the join page, the printed event sheet and the confirmation email say the same thing.
 */
export function purposeStatement(settings: Pick<Settings, 'org_name' | 'consent_version' | 'consent_what' | 'consent_how_often' | 'consent_who_sees' | 'consent_how_to_leave'>, locale: Locale): PurposeStatement {
  const wording = DEFAULT_WORDING[locale];
  return {
    what: settings.consent_what?.trim() || wording.what(settings.org_name),
    howOften: settings.consent_how_often?.trim() || wording.howOften,
    whoSees: settings.consent_who_sees?.trim() || wording.whoSees,
    howToLeave: settings.consent_how_to_leave?.trim() || wording.howToLeave,
    version: settings.consent_version,
  };
}
