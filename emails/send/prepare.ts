import type { Dataset, Mailing } from '../../sync/dataset.ts';
import { type Audience, type SegmentEvaluator, audienceOf } from '../audience.ts';
import { type OutgoingMessage, buildMessages } from './message.ts';

export interface Prepared {
  audience: Audience;
  messages: OutgoingMessage[];
}

/** The audience and every recipient's rendered message: the same for the dry run and the live send. */
export async function prepareMailing(dataset: Dataset, asOf: string, mailing: Mailing, options: { evaluateSegment: SegmentEvaluator; secret: string }): Promise<Prepared> {
  const audience = audienceOf(dataset, asOf, mailing, options);
  const messages = await buildMessages(dataset, asOf, mailing, audience.recipients, { secret: options.secret });
  return { audience, messages };
}
