import { Body, Container, Heading, Hr, Html, Head, Preview, Section, Text, render } from '@react-email/components';
import { displayName } from '../../reports/contacts.ts';
import type { Delivery } from '../../reports/receipts/delivery.ts';
import { formatMoney } from '../../sync/cells/money.ts';
import type { Dataset } from '../../sync/dataset.ts';
import { oneLine } from '../content.ts';

const TEXT = {
  'zh-TW': {
    receiptSubject: (org: string, n: number) => `【${org}】捐款收據${n > 1 ? `（${n} 筆）` : ''}`,
    summarySubject: (org: string, year: string) => `【${org}】${year} 年度捐款證明`,
    hello: (name: string) => `${name} 您好：`,
    receiptBody: (org: string) => `感謝您對${org}的支持！附件是您這次捐款的電子收據（PDF），請妥善保存。`,
    summaryBody: (org: string, year: string) => `感謝您在 ${year} 年度對${org}的支持！附件是您全年捐款的證明（PDF），列出每一筆捐款與收據編號，可供報稅使用。`,
    total: '合計',
    why: '這是您捐款的收據通知，即使您未訂閱電子報也會收到。',
  },
  en: {
    receiptSubject: (org: string, n: number) => `Your donation receipt${n > 1 ? 's' : ''} from ${org}`,
    summarySubject: (org: string, year: string) => `Your ${year} giving summary from ${org}`,
    hello: (name: string) => `Dear ${name},`,
    receiptBody: (org: string) => `Thank you for supporting ${org}! Your receipt is attached as a PDF; please keep it for your records.`,
    summaryBody: (org: string, year: string) => `Thank you for supporting ${org} in ${year}! Attached is a summary of all your gifts in the year with their receipt numbers, for your tax return.`,
    total: 'Total',
    why: 'You receive this because you gave: receipts are sent whether or not you subscribe to our newsletter.',
  },
} as const;

const styles = {
  body: { backgroundColor: '#f4f4f5', fontFamily: "'PingFang TC', 'Microsoft JhengHei', 'Noto Sans TC', Arial, sans-serif", color: '#111' },
  container: { backgroundColor: '#fff', padding: '24px', maxWidth: '560px' },
  row: { margin: '2px 0', fontSize: '15px' },
  small: { color: '#666', fontSize: '12px', margin: '2px 0' },
};

/** The email for one delivery: subject, and a React Email body that lists what the PDF holds. */
export function receiptEmail(delivery: Delivery, dataset: Pick<Dataset, 'settings'>) {
  const { settings } = dataset;
  const t = TEXT[delivery.locale];
  const org = settings.org_name;
  const money = (amount: number, currency: string | undefined) => formatMoney(amount, currency ?? settings.currency, delivery.locale);
  const subject = oneLine(delivery.kind === 'summary'
    ? t.summarySubject(org, delivery.year!.label)
    : t.receiptSubject(org, delivery.gifts.length));
  const intro = delivery.kind === 'summary' ? t.summaryBody(org, delivery.year!.label) : t.receiptBody(org);
  const element = (
    <Html lang={delivery.locale}>
      <Head />
      <Preview>{subject}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h2">{subject}</Heading>
          <Text>{t.hello(displayName(delivery.contact))}</Text>
          <Text>{intro}</Text>
          <Section>
            {delivery.gifts.map((g) => (
              <Text key={g.donation_id} style={styles.row}>{`${g.receipt_no ?? '—'} · ${g.date} · ${money(g.amount, g.currency)}`}</Text>
            ))}
            {delivery.year?.totals.map((s) => (
              <Text key={s.currency} style={{ ...styles.row, fontWeight: 700 }}>{`${t.total} ${money(s.amount, s.currency)}`}</Text>
            ))}
          </Section>
          <Hr />
          <Text style={styles.small}>{org}</Text>
          {settings.org_address && <Text style={styles.small}>{settings.org_address}</Text>}
          <Text style={styles.small}>{t.why}</Text>
        </Container>
      </Body>
    </Html>
  );
  return { subject, element };
}

/** The message as HTML and plain text. */
export async function renderReceiptEmail(delivery: Delivery, dataset: Pick<Dataset, 'settings'>) {
  const { subject, element } = receiptEmail(delivery, dataset);
  return { subject, html: await render(element), text: await render(element, { plainText: true }) };
}
