import { Faker, type Randomizer, base, en, generateMersenne53Randomizer, zh_TW } from '@faker-js/faker';
import type { IsoDate } from '../sync/cells/dates.ts';
import { daysBetween, plusDays } from '../sync/periods.ts';

/**
 * Every random choice of the sample comes from one seeded stream, so the same seed (and anchor
 * date) gives byte-identical files. `zh` and `en` are two locales drawing from that one stream.
 */
export class Rng {
  readonly zh: Faker;
  readonly en: Faker;
  private readonly randomizer: Randomizer;

  constructor(seed: number) {
    this.randomizer = generateMersenne53Randomizer(seed);
    this.zh = new Faker({ locale: [zh_TW, en, base], randomizer: this.randomizer });
    this.en = new Faker({ locale: [en, base], randomizer: this.randomizer });
  }

  // The hot paths (millions of calls at 50,000 contacts) read the shared randomizer directly:
  // faker's own argument checks would double the generator's run time.
  chance(probability: number): boolean {
    return this.randomizer.next() < probability;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.randomizer.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.randomizer.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** One of the values, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let r = this.randomizer.next() * total;
    for (const [value, weight] of items) {
      r -= weight;
      if (r < 0) return value;
    }
    return items[items.length - 1][0];
  }

  /** A date in [from, to] (both included). */
  dateBetween(from: IsoDate, to: IsoDate): IsoDate {
    return plusDays(from, this.int(0, Math.max(0, daysBetween(from, to))));
  }

  uuid(): string {
    return this.zh.string.uuid();
  }
}
