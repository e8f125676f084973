/**
 * Taiwan's 22 counties and cities: the regions of the supporter map. Keys are ISO 3166-2:TW
 * codes; `svgId` is the shape's id in @svg-maps/taiwan; `names` are extra spellings staff use
 * (romanisations, and the counties merged into cities in 2010 and 2014).
 */
export interface TaiwanRegion {
  key: string;
  svgId: string;
  name_zh: string;
  name_en: string;
  names: string[];
}

export const TAIWAN_REGIONS: readonly TaiwanRegion[] = [
  { key: 'TW-TPE', svgId: 'taipei-city', name_zh: '臺北市', name_en: 'Taipei City', names: ['北市'] },
  { key: 'TW-NWT', svgId: 'new-taipei-city', name_zh: '新北市', name_en: 'New Taipei City', names: ['臺北縣', 'Taipei County', 'Xinbei'] },
  { key: 'TW-KEE', svgId: 'keelung-city', name_zh: '基隆市', name_en: 'Keelung City', names: ['Jilong'] },
  { key: 'TW-TAO', svgId: 'taoyuan-city', name_zh: '桃園市', name_en: 'Taoyuan City', names: ['桃園縣', 'Taoyuan County'] },
  { key: 'TW-HSZ', svgId: 'hsinchu-city', name_zh: '新竹市', name_en: 'Hsinchu City', names: ['竹市', 'Xinzhu City'] },
  { key: 'TW-HSQ', svgId: 'hsinchu-county', name_zh: '新竹縣', name_en: 'Hsinchu County', names: ['竹縣', 'Xinzhu County'] },
  { key: 'TW-MIA', svgId: 'miaoli-county', name_zh: '苗栗縣', name_en: 'Miaoli County', names: [] },
  { key: 'TW-TXG', svgId: 'taichung-city', name_zh: '臺中市', name_en: 'Taichung City', names: ['中市', '臺中縣', 'Taichung County', 'Taizhong'] },
  { key: 'TW-CHA', svgId: 'changhua-county', name_zh: '彰化縣', name_en: 'Changhua County', names: ['Zhanghua'] },
  { key: 'TW-NAN', svgId: 'nantou-county', name_zh: '南投縣', name_en: 'Nantou County', names: [] },
  { key: 'TW-YUN', svgId: 'yunlin-county', name_zh: '雲林縣', name_en: 'Yunlin County', names: ['云林'] },
  { key: 'TW-CYI', svgId: 'chiayi-city', name_zh: '嘉義市', name_en: 'Chiayi City', names: ['嘉市', 'Jiayi City'] },
  { key: 'TW-CYQ', svgId: 'chiayi-county', name_zh: '嘉義縣', name_en: 'Chiayi County', names: ['嘉縣', 'Jiayi County'] },
  { key: 'TW-TNN', svgId: 'tainan-city', name_zh: '臺南市', name_en: 'Tainan City', names: ['南市', '臺南縣', 'Tainan County'] },
  { key: 'TW-KHH', svgId: 'kaohsiung-city', name_zh: '高雄市', name_en: 'Kaohsiung City', names: ['高市', '高雄縣', 'Kaohsiung County', 'Gaoxiong'] },
  { key: 'TW-PIF', svgId: 'pingtung-county', name_zh: '屏東縣', name_en: 'Pingtung County', names: ['Pingdong'] },
  { key: 'TW-ILA', svgId: 'yilan-county', name_zh: '宜蘭縣', name_en: 'Yilan County', names: ['I-lan', 'Ilan'] },
  { key: 'TW-HUA', svgId: 'hualien-county', name_zh: '花蓮縣', name_en: 'Hualien County', names: ['Hualian'] },
  { key: 'TW-TTT', svgId: 'taitung-county', name_zh: '臺東縣', name_en: 'Taitung County', names: ['Taidong'] },
  { key: 'TW-PEN', svgId: 'penghu-county', name_zh: '澎湖縣', name_en: 'Penghu County', names: ['Pescadores'] },
  { key: 'TW-KIN', svgId: 'kinmen-county', name_zh: '金門縣', name_en: 'Kinmen County', names: ['Jinmen', 'Quemoy'] },
  { key: 'TW-LIE', svgId: 'lienchiang-county', name_zh: '連江縣', name_en: 'Lienchiang County', names: ['馬祖', 'Matsu', 'Lianjiang'] },
];

/** Lowercase, full-width folded, 台 as 臺, simplified 县 as 縣, no spaces or punctuation. */
export function foldName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/台/g, '臺')
    .replace(/县/g, '縣')
    .replace(/[\s.,'’()（）\-_]/g, '');
}

type Kind = 'city' | 'county' | undefined;

/** The name without its 市/縣/City/County, and which of the two it said. */
function splitKind(folded: string): { base: string; kind: Kind } {
  const suffix = folded.match(/^(.+?)(市|縣|city|county|shi|xian)$/);
  if (!suffix) return { base: folded, kind: undefined };
  const kind = ['市', 'city', 'shi'].includes(suffix[2]) ? 'city' : 'county';
  return { base: suffix[1], kind };
}

const kindOf = (r: TaiwanRegion): Kind => (r.name_en.endsWith('City') ? 'city' : 'county');

/**
 * Every spelling matches whole; it also gives a base name (without 市/縣/City/County) unless its
 * suffix is not the region's own (the old 臺北縣 is New Taipei, so 臺北 stays Taipei City) or the
 * base is a single character (北市).
 */
const exact = new Map<string, TaiwanRegion>();
const byBase = new Map<string, TaiwanRegion[]>();
for (const region of TAIWAN_REGIONS) {
  for (const name of [region.name_zh, region.name_en, ...region.names]) {
    const folded = foldName(name);
    exact.set(folded, region);
    const { base, kind } = splitKind(folded);
    if ((kind && kind !== kindOf(region)) || [...base].length < 2) continue;
    const list = byBase.get(base) ?? [];
    if (!list.includes(region)) list.push(region);
    byBase.set(base, list);
  }
}

export type TaiwanMatch = { region: TaiwanRegion } | { ambiguous: TaiwanRegion[] } | undefined;

/**
 * The county or city a region cell names, however staff typed it: 台北, 臺北市, Taipei City,
 * taipei, or with a district after it (臺北市信義區). Undefined when it names none of the 22.
 */
export function matchTaiwanRegion(text: string): TaiwanMatch {
  const folded = foldName(text);
  if (!folded) return undefined;
  const whole = exact.get(folded);
  if (whole) return { region: whole };
  const { base, kind } = splitKind(folded);
  const candidates = byBase.get(base) ?? [];
  if (candidates.length === 1) return { region: candidates[0] };
  if (candidates.length > 1) {
    const chosen = candidates.filter((r) => kindOf(r) === kind);
    return chosen.length === 1 ? { region: chosen[0] } : { ambiguous: candidates };
  }
  // A finer address (臺北市信義區) is placed in the county or city it starts with.
  const prefix = folded.match(/^(.{2,3}?[市縣])./);
  return prefix ? matchTaiwanRegion(prefix[1]) : undefined;
}
