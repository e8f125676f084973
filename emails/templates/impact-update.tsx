import { Text } from '@react-email/components';
import { type EmailProps, stringsFor } from '../content.ts';
import { CallToAction, Greeting, Layout, Title } from './layout.tsx';
import { Stories } from './stories.tsx';

/** What gifts changed, for donors whose payment failed or who lapsed: impact, not an appeal; one button. */
export function ImpactUpdate({ props }: { props: EmailProps }) {
  const t = stringsFor(props);
  return (
    <Layout props={props}>
      <Greeting props={props} />
      <Title>{t.impactTitle}</Title>
      <Text>{t.impactIntro(props.personal?.totals?.amount)}</Text>
      {props.impact.length > 0 ? (
        <ul>
          {props.impact.map((row, i) => (
            <li key={i}>
              <strong>{row.value}</strong> {row.metric}
              {row.note ? ` (${row.note})` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <Text>{t.impactFallback}</Text>
      )}
      <Stories props={props} />
      <CallToAction href={props.links.donate} label={t.keepSupporting} />
    </Layout>
  );
}
