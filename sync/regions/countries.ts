import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import { foldName } from './taiwan.ts';

/** A country as the supporter map shows it; `key` is its ISO 3166-1 alpha-3 code. */
export interface Country {
  key: string;
  alpha2: string;
  /** ISO 3166-1 numeric, the id world-atlas gives each shape. */
  numeric: string;
  name_zh: string;
  name_en: string;
}

const require = createRequire(import.meta.url);
for (const lang of ['en', 'zh']) countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));

const zhTW = new Intl.DisplayNames(['zh-Hant-TW'], { type: 'region', style: 'short' });
const en = new Intl.DisplayNames(['en'], { type: 'region' });
/** Names Taiwan's staff and donors use that neither list has (or has only in a long form). */
const EXTRA_NAMES: Record<string, string[]> = {
  TW: ['臺灣', '中華民國', 'ROC', 'R.O.C.', 'Republic of China', 'Taiwan ROC', 'Chinese Taipei'],
  CN: ['中國大陸', '大陸', 'Mainland China', 'PRC'],
  US: ['美國', 'America'],
  GB: ['UK', 'Britain', 'Great Britain', 'England'],
  KR: ['韓國', 'Korea'],
  HK: ['Hong Kong'],
  MO: ['Macau', 'Macao'],
};
const SHORT_EN: Record<string, string> = { HK: 'Hong Kong', MO: 'Macao' };

const byName = new Map<string, string>();
const add = (name: string, alpha2: string) => {
  const folded = foldName(name);
  if (folded && !byName.has(folded)) byName.set(folded, alpha2);
};
for (const alpha2 of Object.keys(countries.getAlpha2Codes())) {
  add(alpha2, alpha2);
  add(countries.alpha2ToAlpha3(alpha2)!, alpha2);
  for (const name of EXTRA_NAMES[alpha2] ?? []) add(name, alpha2);
  add(zhTW.of(alpha2)!, alpha2);
  add(en.of(alpha2)!, alpha2);
  for (const lang of ['en', 'zh']) for (const name of countries.getName(alpha2, lang, { select: 'all' }) ?? []) add(name, alpha2);
}

export function countryByAlpha2(alpha2: string): Country {
  // Every contact is placed by country: the names (Intl.DisplayNames, slow per call) are looked up once per country.
  let country = byAlpha2.get(alpha2);
  if (!country) {
    country = {
      key: countries.alpha2ToAlpha3(alpha2)!,
      alpha2,
      numeric: countries.alpha2ToNumeric(alpha2)!,
      name_zh: zhTW.of(alpha2)!,
      name_en: SHORT_EN[alpha2] ?? en.of(alpha2)!,
    };
    byAlpha2.set(alpha2, country);
  }
  return country;
}

const byAlpha2 = new Map<string, Country>();

/** The country a cell names: English or Chinese name (traditional or simplified), or its ISO code. */
export function matchCountry(text: string): Country | undefined {
  const alpha2 = byName.get(foldName(text));
  return alpha2 ? countryByAlpha2(alpha2) : undefined;
}
