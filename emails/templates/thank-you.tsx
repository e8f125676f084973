import { Text } from '@react-email/components';
import { type EmailProps, stringsFor } from '../content.ts';
import { Greeting, Layout, Title } from './layout.tsx';
import { Stories } from './stories.tsx';

/** Thanks for a first gift. */
export function ThankYou({ props }: { props: EmailProps }) {
  const t = stringsFor(props);
  const gift = props.personal?.lastGift;
  return (
    <Layout props={props}>
      <Greeting props={props} />
      <Title>{t.thankYouTitle}</Title>
      <Text>{t.thankYouBody(gift?.amount, gift?.date)}</Text>
      <Stories props={props} />
    </Layout>
  );
}
