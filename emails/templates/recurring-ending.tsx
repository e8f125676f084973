import { Text } from '@react-email/components';
import { type EmailProps, stringsFor } from '../content.ts';
import { CallToAction, GivingSummary, Greeting, Layout, Title } from './layout.tsx';
import { Stories } from './stories.tsx';

/** Before a recurring plan ends: thanks, and an invitation to continue. */
export function RecurringEnding({ props }: { props: EmailProps }) {
  const t = stringsFor(props);
  const plan = props.personal?.plan;
  return (
    <Layout props={props}>
      <Greeting props={props} />
      <Title>{t.endingTitle}</Title>
      <Text>{t.endingBody(plan?.amount, plan?.end)}</Text>
      <GivingSummary props={props} />
      <Stories props={props} />
      <CallToAction href={props.links.donate} label={t.renew} />
    </Layout>
  );
}
