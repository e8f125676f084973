import type { IsoDate } from '../sync/cells/dates.ts';
import type { Rng } from './random.ts';
import type { Typist } from './typing.ts';

/** What every part of the generator shares: the one random stream, the typist and the anchor. */
export interface SampleContext {
  rng: Rng;
  typist: Typist;
  /** The anchor (D): recent segments have members as of this date. */
  asOf: IsoDate;
  /** The calendar (= fiscal, 01-01) year of the anchor. */
  year: number;
  /** Where the sample's history begins: five years before the anchor. */
  historyStart: IsoDate;
}

export const ORG_TIME_ZONE = 'Asia/Taipei';
