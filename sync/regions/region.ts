import { countryByAlpha2, matchCountry } from './countries.ts';
import { TAIWAN_REGIONS, matchTaiwanRegion } from './taiwan.ts';

/** A region of the supporter map: a Taiwan county or city, or a country abroad. */
export interface Region {
  key: string;
  name_zh: string;
  name_en: string;
}

/** Where a contact goes on the map, or which cell could not be placed and what to write instead. */
export interface Placement {
  region?: Region;
  unmatched?: { column: 'region' | 'country'; value: string; fix: string };
}

/** The two contact columns a placement reads. */
export type Whereabouts = { country?: string; region?: string };

const EXAMPLES = '臺北市, 台中, Kaohsiung City or hualien';

/**
 * A contact in Taiwan (country Taiwan, or blank when settings.default_country is TW) is placed by its
 * region column; a contact abroad by its country. Nothing finer than that is ever used.
 */
export function placeContact(contact: Whereabouts, defaultCountry = 'TW'): Placement {
  const country = contact.country ? matchCountry(contact.country) : (matchCountry(defaultCountry) ?? countryByAlpha2('TW'));
  if (!country) {
    return { unmatched: { column: 'country', value: contact.country!, fix: 'write the country in English or Chinese, or its two-letter code, e.g. Japan, 日本 or JP' } };
  }
  if (country.alpha2 !== 'TW') return { region: country };
  if (!contact.region) return {};
  const match = matchTaiwanRegion(contact.region);
  if (match && 'region' in match) {
    const { key, name_zh, name_en } = match.region;
    return { region: { key, name_zh, name_en } };
  }
  const fix = match
    ? `it could be ${match.ambiguous.map((r) => `${r.name_zh} (${r.name_en})`).join(' or ')}: write which one`
    : `write one of Taiwan's ${TAIWAN_REGIONS.length} counties and cities, e.g. ${EXAMPLES}${contact.country ? '' : ', or fill in the country column for a supporter abroad'}`;
  return { unmatched: { column: 'region', value: contact.region, fix } };
}

/** Sync's check: a region or country the supporter map cannot place is a warning (the row is kept). */
export function regionProblems(contact: Whereabouts, defaultCountry?: string): { severity: 'warning'; column: string; message: string }[] {
  const { unmatched } = placeContact(contact, defaultCountry);
  if (!unmatched) return [];
  const what = unmatched.column === 'region' ? 'a Taiwan county or city' : 'a country';
  return [{ severity: 'warning', column: unmatched.column, message: `the supporter map cannot place "${unmatched.value}" as ${what}: ${unmatched.fix}` }];
}
