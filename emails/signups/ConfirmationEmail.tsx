import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text, render } from '@react-email/components';
import { purposeStatement } from '../../reports/consent-text.ts';
import { confirmPageUrl, preferencesPageUrl } from '../../reports/site-links.ts';
import type { Settings } from '../../sync/schema/settings.ts';
import { oneLine } from '../content.ts';
import { buttonStyle } from '../templates/layout.tsx';
import { preferencesToken } from '../unsubscribe.ts';
import type { ConfirmationMail } from './plan.ts';

const TEXT = {
  'zh-TW': {
    subject: (org: string) => `【${org}】請確認您的訂閱`,
    hello: (name?: string) => (name ? `${name} 您好：` : '您好：'),
    intro: (org: string) => `我們收到以這個信箱登記接收${org}消息的申請。請按下方按鈕確認，確認後才會開始寄信給您。`,
    button: '確認訂閱',
    notYou: (days: number) => `如果不是您本人登記，請忽略這封信：我們不會再寄信給您，這筆登記會在 ${days} 天後刪除。`,
    statement: '您同意的內容',
    what: '寄送內容', howOften: '頻率', whoSees: '誰會看到您的資料', howToLeave: '如何退出',
    version: (v: string) => `（告知事項版本 ${v}）`,
    preferences: '已經是我們的聯絡人？您也可以在這裡選擇要收到的內容：',
    preferencesLink: '選擇您要收到的內容',
    why: '這是您登記後的確認信，只寄這一次。',
  },
  en: {
    subject: (org: string) => `Please confirm your subscription to ${org}`,
    hello: (name?: string) => (name ? `Dear ${name},` : 'Hello,'),
    intro: (org: string) => `We received a request to send news from ${org} to this address. Please confirm with the button below: nothing is sent until you do.`,
    button: 'Confirm my subscription',
    notYou: (days: number) => `If it was not you, ignore this email: we will not write again, and the request is deleted in ${days} days.`,
    statement: 'What you agree to',
    what: 'What we send', howOften: 'How often', whoSees: 'Who sees your details', howToLeave: 'How to leave',
    version: (v: string) => `(statement version ${v})`,
    preferences: 'Already on our list? You can also choose what you receive here:',
    preferencesLink: 'Choose what you receive',
    why: 'This is the one confirmation email for your sign-up.',
  },
} as const;

const styles = {
  body: { backgroundColor: '#f4f4f0', fontFamily: '"Noto Sans TC", "PingFang TC", "Helvetica Neue", Arial, sans-serif', color: '#222' },
  container: { backgroundColor: '#ffffff', maxWidth: '600px', margin: '0 auto', padding: '24px' },
  small: { fontSize: '12px', color: '#666', lineHeight: '18px' },
  term: { margin: '8px 0 0', fontWeight: 'bold', fontSize: '14px' },
  part: { margin: '2px 0', fontSize: '14px' },
};

export type ConfirmationSettings = Pick<Settings, 'org_name' | 'org_address' | 'site_url' | 'default_locale' | 'topics' | 'signup_expiry_days' | 'brand_color'
  | 'consent_version' | 'consent_what' | 'consent_how_often' | 'consent_who_sees' | 'consent_how_to_leave'>;

/**
 * The double opt-in email, in the sign-up's language: the purpose statement as the person saw it
 * (reports/consent-text.ts, one wording for the join page, the event sheet and this email), the
 * confirm button to the site's /confirm/ page with the signed token, and for a person already
 * among the contacts, their preference centre. Transactional: no unsubscribe link (it is sent
 * once, at the person's request, and nothing follows unless they confirm).
 */
export function confirmationEmail(mail: ConfirmationMail, settings: ConfirmationSettings & { site_url: string }, secret: string) {
  const locale = mail.answers.language;
  const t = TEXT[locale];
  const org = settings.org_name;
  const statement = purposeStatement(settings, locale);
  const subject = oneLine(t.subject(org));
  const confirmUrl = confirmPageUrl(settings.site_url, mail.token, locale, settings.default_locale);
  const c = mail.existingContact;
  const preferencesUrl = c && preferencesPageUrl(settings.site_url, preferencesToken(secret, c.contact_id), {
    channels: [...(c.email_opt_in ? ['email'] : []), ...(c.sms_opt_in ? ['sms'] : [])],
    topics: c.topics?.length ? c.topics : settings.topics.map((topic) => topic.id),
    frequency: c.email_frequency ?? 'every',
  }, locale, settings.default_locale);
  const name = [mail.answers.first_name, mail.answers.last_name].filter(Boolean).join(locale === 'en' ? ' ' : '');
  const button = settings.brand_color ? { ...buttonStyle, backgroundColor: settings.brand_color } : buttonStyle;
  const parts: [string, string][] = [[t.what, statement.what], [t.howOften, statement.howOften], [t.whoSees, statement.whoSees], [t.howToLeave, statement.howToLeave]];
  const element = (
    <Html lang={locale}>
      <Head />
      <Preview>{subject}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={{ fontSize: '20px', margin: '0 0 16px' }}>{org}</Heading>
          <Text>{t.hello(name || undefined)}</Text>
          <Text>{t.intro(org)}</Text>
          <Section style={{ margin: '16px 0' }}>
            <Button href={confirmUrl} style={button}>{t.button}</Button>
          </Section>
          <Text style={styles.small}>{t.notYou(settings.signup_expiry_days)}</Text>
          <Hr />
          <Text style={styles.term}>{`${t.statement} ${t.version(statement.version)}`}</Text>
          {parts.map(([term, part]) => (
            <Text key={term} style={styles.part}>{`${term}${locale === 'en' ? ': ' : '：'}${part}`}</Text>
          ))}
          {preferencesUrl && (
            <Text style={styles.part}>
              {t.preferences} <Link href={preferencesUrl}>{t.preferencesLink}</Link>
            </Text>
          )}
          <Hr />
          <Text style={styles.small}>
            {org}
            {settings.org_address && <><br />{settings.org_address}</>}
          </Text>
          <Text style={styles.small}>{t.why}</Text>
        </Container>
      </Body>
    </Html>
  );
  return { subject, element, confirmUrl };
}

export async function renderConfirmationEmail(mail: ConfirmationMail, settings: ConfirmationSettings & { site_url: string }, secret: string) {
  const { subject, element } = confirmationEmail(mail, settings, secret);
  return { subject, html: await render(element), text: await render(element, { plainText: true }) };
}
