import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from '@react-email/components';
import type { ReactNode } from 'react';
import { type EmailProps, stringsFor } from '../content.ts';

const page = { backgroundColor: '#f4f4f0', fontFamily: '"Noto Sans TC", "PingFang TC", "Helvetica Neue", Arial, sans-serif', color: '#222' };
const card = { backgroundColor: '#ffffff', maxWidth: '600px', margin: '0 auto', padding: '24px' };
const small = { fontSize: '12px', color: '#666', lineHeight: '18px' };
export const buttonStyle = { backgroundColor: '#1f6f5c', color: '#ffffff', padding: '12px 20px', borderRadius: '4px', fontWeight: 'bold' };

/** The org header and footer every email shares: preview text, web link, address, preferences and unsubscribe. */
export function Layout({ props, children }: { props: EmailProps; children: ReactNode }) {
  const t = stringsFor(props);
  return (
    <Html lang={props.locale}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={page}>
        <Container style={card}>
          {props.links.web && (
            <Text style={{ ...small, textAlign: 'right' }}>
              <Link href={props.links.web}>{t.webVersion}</Link>
            </Text>
          )}
          {!props.personal && <Text style={small}>{t.archiveNote}</Text>}
          <Heading as="h1" style={{ fontSize: '20px', margin: '0 0 16px' }}>{props.org.name}</Heading>
          {children}
          <Hr />
          <Section>
            <Text style={small}>
              {props.org.name}
              {props.org.address && <><br />{props.org.address}</>}
            </Text>
            {props.links.unsubscribe && (
              <Text style={small}>
                {t.unsubscribeNote}{' '}
                {props.links.preferences && <><Link href={props.links.preferences}>{t.preferences}</Link>{' · '}</>}
                <Link href={props.links.unsubscribe}>{t.unsubscribe}</Link>
              </Text>
            )}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/** The salutation; without a name (or in the web version) a friendly generic one. */
export function Greeting({ props }: { props: EmailProps }) {
  return <Text>{stringsFor(props).greeting(props.personal?.name)}</Text>;
}

/** "Keep supporting" and friends: one button, only when there is somewhere to give. */
export function CallToAction({ href, label }: { href?: string; label: string }) {
  if (!href) return null;
  return (
    <Section style={{ textAlign: 'center', margin: '24px 0' }}>
      <Button href={href} style={buttonStyle}>{label}</Button>
    </Section>
  );
}

/** Totals and last gift, in one sentence each, only for what the data has. */
export function GivingSummary({ props }: { props: EmailProps }) {
  const t = stringsFor(props);
  const p = props.personal;
  if (!p?.totals && !p?.lastGift) return null;
  return (
    <Text style={small}>
      {p.totals && t.totals(p.totals.amount, p.totals.gifts)} {p.lastGift && t.lastGift(p.lastGift.amount, p.lastGift.date)}
    </Text>
  );
}

export function Title({ children }: { children: ReactNode }) {
  return <Heading as="h2" style={{ fontSize: '18px' }}>{children}</Heading>;
}
