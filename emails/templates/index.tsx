import type { ReactElement } from 'react';
import type { EmailProps, TemplateName } from '../content.ts';
import { Birthday } from './birthday.tsx';
import { ImpactUpdate } from './impact-update.tsx';
import { Newsletter } from './newsletter.tsx';
import { RecurringEnding } from './recurring-ending.tsx';
import { ThankYou } from './thank-you.tsx';

const COMPONENTS: Record<TemplateName, (p: { props: EmailProps }) => ReactElement> = {
  newsletter: Newsletter,
  thank_you: ThankYou,
  impact_update: ImpactUpdate,
  recurring_ending: RecurringEnding,
  birthday: Birthday,
};

export function emailElement(props: EmailProps): ReactElement {
  const Component = COMPONENTS[props.template];
  return <Component props={props} />;
}
