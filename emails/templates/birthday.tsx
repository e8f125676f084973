import { Text } from '@react-email/components';
import { type EmailProps, stringsFor } from '../content.ts';
import { Greeting, Layout, Title } from './layout.tsx';
import { Stories } from './stories.tsx';

export function Birthday({ props }: { props: EmailProps }) {
  const t = stringsFor(props);
  return (
    <Layout props={props}>
      <Greeting props={props} />
      <Title>{t.birthdayTitle}</Title>
      <Text>{t.birthdayBody}</Text>
      <Stories props={props} />
    </Layout>
  );
}
