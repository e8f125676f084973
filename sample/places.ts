import type { Rng } from './random.ts';

/** Where a contact lives, as the contacts tab holds it. */
export interface Place {
  country?: string;
  region?: string;
  city?: string;
  postal_code?: string;
}

interface Region {
  /** The ways staff type the region's name; the first is the most common. */
  spellings: readonly (readonly [string, number])[];
  /** Rough share of supporters (a Taipei-heavy donor base). */
  weight: number;
  districts: readonly (readonly [string, string])[];
}

// Taiwan's 22 counties and cities, with a few districts and their 3-digit postal codes.
const TAIWAN: readonly Region[] = [
  { weight: 18, spellings: [['臺北市', 4], ['台北市', 5], ['Taipei City', 1], ['台北', 1], ['Taipei', 0.5]], districts: [['大安區', '106'], ['中山區', '104'], ['信義區', '110'], ['士林區', '111'], ['內湖區', '114'], ['文山區', '116'], ['萬華區', '108']] },
  { weight: 16, spellings: [['新北市', 6], ['新北', 1], ['New Taipei City', 1], ['台北縣', 0.2]], districts: [['板橋區', '220'], ['三重區', '241'], ['中和區', '235'], ['永和區', '234'], ['新店區', '231'], ['淡水區', '251']] },
  { weight: 10, spellings: [['桃園市', 6], ['桃園', 1], ['Taoyuan City', 0.5]], districts: [['桃園區', '330'], ['中壢區', '320'], ['龜山區', '333']] },
  { weight: 11, spellings: [['臺中市', 3], ['台中市', 4], ['Taichung', 0.6], ['台中', 0.8]], districts: [['西屯區', '407'], ['北屯區', '406'], ['南屯區', '408'], ['豐原區', '420']] },
  { weight: 7, spellings: [['臺南市', 3], ['台南市', 4], ['Tainan City', 0.5]], districts: [['東區', '701'], ['中西區', '700'], ['永康區', '710']] },
  { weight: 11, spellings: [['高雄市', 7], ['高雄', 1], ['Kaohsiung City', 0.6]], districts: [['苓雅區', '802'], ['三民區', '807'], ['左營區', '813'], ['鳳山區', '830']] },
  { weight: 1.5, spellings: [['基隆市', 5], ['Keelung', 0.4]], districts: [['仁愛區', '200'], ['七堵區', '206']] },
  { weight: 2.2, spellings: [['新竹市', 5], ['Hsinchu City', 1]], districts: [['東區', '300'], ['北區', '300']] },
  { weight: 2.4, spellings: [['新竹縣', 5], ['Hsinchu County', 0.6]], districts: [['竹北市', '302'], ['竹東鎮', '310']] },
  { weight: 2.2, spellings: [['苗栗縣', 5], ['苗栗', 0.8]], districts: [['苗栗市', '360'], ['頭份市', '351']] },
  { weight: 4.5, spellings: [['彰化縣', 5], ['彰化', 1], ['Changhua County', 0.3]], districts: [['彰化市', '500'], ['員林市', '510']] },
  { weight: 2, spellings: [['南投縣', 5], ['Nantou', 0.3]], districts: [['南投市', '540'], ['埔里鎮', '545']] },
  { weight: 2.5, spellings: [['雲林縣', 5], ['雲林', 0.6]], districts: [['斗六市', '640'], ['虎尾鎮', '632']] },
  { weight: 1.1, spellings: [['嘉義市', 5], ['Chiayi City', 0.3]], districts: [['東區', '600'], ['西區', '600']] },
  { weight: 1.8, spellings: [['嘉義縣', 5], ['Chiayi County', 0.3]], districts: [['太保市', '612'], ['民雄鄉', '621']] },
  { weight: 3, spellings: [['屏東縣', 5], ['屏東', 0.8], ['Pingtung County', 0.3]], districts: [['屏東市', '900'], ['潮州鎮', '920']] },
  { weight: 2, spellings: [['宜蘭縣', 5], ['宜蘭', 0.8], ['Yilan County', 0.4]], districts: [['宜蘭市', '260'], ['羅東鎮', '265']] },
  { weight: 1.6, spellings: [['花蓮縣', 5], ['花蓮', 1], ['Hualien', 0.5]], districts: [['花蓮市', '970'], ['吉安鄉', '973']] },
  { weight: 1, spellings: [['臺東縣', 3], ['台東縣', 3], ['台東', 0.6], ['Taitung County', 0.3]], districts: [['臺東市', '950'], ['成功鎮', '961']] },
  { weight: 0.5, spellings: [['澎湖縣', 5], ['Penghu', 0.3]], districts: [['馬公市', '880']] },
  { weight: 0.6, spellings: [['金門縣', 5], ['金門', 1]], districts: [['金城鎮', '893'], ['金湖鎮', '891']] },
  { weight: 0.15, spellings: [['連江縣', 4], ['馬祖', 1]], districts: [['南竿鄉', '209']] },
];

// Supporters abroad: country and region as staff type them (no finer than a city).
const ABROAD: readonly (readonly [string, string, string])[] = [
  ['Japan', 'Tokyo', 'Shibuya'], ['日本', '大阪府', ''], ['United States', 'California', 'San Jose'],
  ['USA', 'New York', 'New York'], ['美國', '加州', ''], ['Malaysia', 'Selangor', 'Petaling Jaya'],
  ['Hong Kong', '', ''], ['Canada', 'British Columbia', 'Vancouver'], ['Australia', 'New South Wales', 'Sydney'],
  ['Germany', 'Berlin', 'Berlin'], ['Singapore', '', ''], ['United Kingdom', 'England', 'London'],
];

const TAIWAN_COUNTRY = [['', 12], ['台灣', 4], ['Taiwan', 3], ['臺灣', 1], ['TW', 1]] as const;
const REGION_WEIGHTS = TAIWAN.map((r) => [r, r.weight] as const);

export function taiwanPlace(rng: Rng): Place {
  const region = rng.weighted(REGION_WEIGHTS);
  const [city, postal] = rng.pick(region.districts);
  const detailed = rng.chance(0.6);
  return {
    country: rng.weighted(TAIWAN_COUNTRY) || undefined,
    // Some rows only have a postal code or nothing at all, as real imports do.
    region: rng.chance(0.95) ? rng.weighted(region.spellings) : undefined,
    city: detailed ? city : undefined,
    postal_code: detailed && rng.chance(0.8) ? postal : undefined,
  };
}

export function abroadPlace(rng: Rng): Place {
  const [country, region, city] = rng.pick(ABROAD);
  return { country, region: region || undefined, city: city || undefined };
}
