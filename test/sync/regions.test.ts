import { describe, expect, it } from 'vitest';
import { validateWorkbook } from '../../sync/validate.ts';
import { matchCountry } from '../../sync/regions/countries.ts';
import { placeContact } from '../../sync/regions/region.ts';
import { TAIWAN_REGIONS, matchTaiwanRegion } from '../../sync/regions/taiwan.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import taiwanMap from '@svg-maps/taiwan';

const keyOf = (text: string) => {
  const m = matchTaiwanRegion(text);
  return m && 'region' in m ? m.region.key : m;
};

describe('Taiwan region names', () => {
  it('reads 臺 and 台, with or without 市/縣, in Chinese or English, any case', () => {
    for (const typed of ['台北', '臺北', '台北市', '臺北市', 'Taipei', 'Taipei City', 'taipei', 'TAIPEI CITY', ' 臺北市 ', 'Taipei-City', '臺北市信義區']) {
      expect(keyOf(typed), typed).toBe('TW-TPE');
    }
    for (const typed of ['台東', '臺東縣', 'Taitung', 'taitung county', '台東市']) expect(keyOf(typed), typed).toBe('TW-TTT');
    for (const typed of ['新北', '新北市', 'New Taipei', 'new taipei city', '台北縣', 'Taipei County']) expect(keyOf(typed), typed).toBe('TW-NWT');
    expect(keyOf('桃園縣')).toBe('TW-TAO');
    expect(keyOf('高雄縣')).toBe('TW-KHH');
    expect(keyOf('Ｔａｉｃｈｕｎｇ')).toBe('TW-TXG');
    expect(keyOf('馬祖')).toBe('TW-LIE');
  });

  it('tells city from county where both exist, and says so when it cannot', () => {
    expect(keyOf('新竹市')).toBe('TW-HSZ');
    expect(keyOf('Hsinchu County')).toBe('TW-HSQ');
    expect(keyOf('嘉義縣')).toBe('TW-CYQ');
    expect(keyOf('chiayi city')).toBe('TW-CYI');
    const hsinchu = matchTaiwanRegion('新竹');
    expect(hsinchu && 'ambiguous' in hsinchu ? hsinchu.ambiguous.map((r) => r.key).sort() : hsinchu).toEqual(['TW-HSQ', 'TW-HSZ']);
  });

  it('leaves unknown names unmatched', () => {
    for (const typed of ['信義區', 'Gotham', '北', '台', '']) expect(keyOf(typed), typed).toBeUndefined();
  });

  it('covers exactly the 22 shapes of @svg-maps/taiwan, each by its own key', () => {
    const ids = taiwanMap.locations.map((l) => l.id).sort();
    expect(TAIWAN_REGIONS.map((r) => r.svgId).sort()).toEqual(ids);
    expect(new Set(TAIWAN_REGIONS.map((r) => r.key)).size).toBe(22);
    for (const r of TAIWAN_REGIONS) {
      expect(keyOf(r.name_zh)).toBe(r.key);
      expect(keyOf(r.name_en)).toBe(r.key);
      expect(taiwanMap.locations.find((l) => l.id === r.svgId)!.name).toBe(r.name_en);
    }
  });
});

describe('countries', () => {
  it('reads English, Chinese (traditional or simplified) and ISO codes', () => {
    for (const typed of ['Japan', '日本', 'JP', 'jpn']) expect(matchCountry(typed)?.key, typed).toBe('JPN');
    for (const typed of ['USA', 'United States', '美國', '美国', 'us']) expect(matchCountry(typed)?.key, typed).toBe('USA');
    for (const typed of ['台灣', '臺灣', 'Taiwan', 'R.O.C.', 'TW']) expect(matchCountry(typed)?.alpha2, typed).toBe('TW');
    expect(matchCountry('Hong Kong')).toMatchObject({ key: 'HKG', numeric: '344', name_zh: '香港', name_en: 'Hong Kong' });
    expect(matchCountry('Atlantis')).toBeUndefined();
  });
});

describe('placing a contact', () => {
  it('places Taiwan by region, abroad by country, and nothing without either', () => {
    expect(placeContact({ country: '台灣', region: '台中' }).region?.key).toBe('TW-TXG');
    expect(placeContact({ region: 'Tainan' }).region).toEqual({ key: 'TW-TNN', name_zh: '臺南市', name_en: 'Tainan City' });
    expect(placeContact({ country: 'Japan', region: 'Tokyo' }).region?.key).toBe('JPN');
    expect(placeContact({ country: 'Taiwan' })).toEqual({});
    expect(placeContact({})).toEqual({});
    expect(placeContact({ country: 'Narnia' }).unmatched?.column).toBe('country');
    expect(placeContact({ region: '新竹' }).unmatched?.fix).toContain('新竹市');
    // A blank country is settings.default_country.
    expect(placeContact({ region: 'Kowloon' }, 'HK').region?.key).toBe('HKG');
  });

  it('sync warns about a region it cannot place, naming the tab, row, column, value and what to write', () => {
    const workbook: RawWorkbook = new Map([
      ['contacts', { name: 'contacts', header: ['contact_id', 'first_name', 'country', 'region'], rows: [['C1', 'A', '', '臺北市'], ['C2', 'B', '', '信義區'], ['C3', 'C', 'Narnia', '']] }],
      ['donations', { name: 'donations', header: ['donation_id', 'contact_id', 'date', 'amount'], rows: [] }],
    ]);
    const { dataset, problems } = validateWorkbook(workbook);
    expect(dataset.contacts.map((c) => c.contact_id)).toEqual(['C1', 'C2', 'C3']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ severity: 'warning', tab: 'contacts', row: 3, column: 'region', column_letter: 'D', value: '信義區' });
    expect(problems[0].message).toMatch(/臺北市/);
    expect(problems[1]).toMatchObject({ severity: 'warning', tab: 'contacts', row: 4, column: 'country', column_letter: 'C', value: 'Narnia' });
  });
});
