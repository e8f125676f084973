import type { EmailProps } from '../content.ts';
import { CallToAction, Greeting, Layout } from './layout.tsx';
import { Stories } from './stories.tsx';
import { stringsFor } from '../content.ts';

export function Newsletter({ props }: { props: EmailProps }) {
  return (
    <Layout props={props}>
      {props.personal && <Greeting props={props} />}
      <Stories props={props} />
      <CallToAction href={props.links.donate} label={stringsFor(props).donate} />
    </Layout>
  );
}
