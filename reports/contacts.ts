import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Contact, Dataset } from '../sync/dataset.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** How a contact is named: 王小明 (family name first, no space, for CJK names), Ann Lee, else the organization or email. */
export function displayName(c: Contact): string {
  const { first_name: first, last_name: last } = c;
  if (first && last) return CJK.test(first + last) ? `${last}${first}` : `${first} ${last}`;
  return first ?? last ?? c.organization ?? c.email ?? c.contact_id;
}

const SUPPORTED = new Set<string>(getCountries());
let countryNames: Map<string, CountryCode> | undefined;

/** Country names in English and Traditional Chinese (Taiwan, 台灣, 臺灣, Japan, 日本…) to their codes. */
function byName(): Map<string, CountryCode> {
  if (countryNames) return countryNames;
  countryNames = new Map();
  for (const locale of ['en', 'zh-TW']) {
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    for (const code of getCountries()) countryNames.set(normalName(names.of(code) ?? code), code);
  }
  for (const [alias, code] of [['usa', 'US'], ['uk', 'GB'], ['roc', 'TW'], ['中華民國', 'TW']] as const) countryNames.set(alias, code);
  return countryNames;
}

const normalName = (name: string) => name.normalize('NFKC').trim().toLowerCase().replace(/臺/g, '台').replace(/[\s.]/g, '');

/** The two-letter code of a contact's country cell (TW, Taiwan, 台灣), else settings.default_country. */
export function countryCode(c: Contact, dataset: Pick<Dataset, 'settings'>): CountryCode {
  const text = c.country?.trim() ?? '';
  const upper = text.toUpperCase();
  if (SUPPORTED.has(upper)) return upper as CountryCode;
  return byName().get(normalName(text)) ?? (dataset.settings.default_country as CountryCode);
}

/** A contact's phone in E.164 (+886912345678), or undefined when it is not a valid number. */
export function e164Phone(c: Contact, dataset: Pick<Dataset, 'settings'>): string | undefined {
  if (!c.phone) return undefined;
  const phone = parsePhoneNumberFromString(c.phone, countryCode(c, dataset));
  return phone?.isValid() ? phone.number : undefined;
}
