import type { Dataset } from '../../sync/dataset.ts';
import { type Region, placeContact } from '../../sync/regions/region.ts';
import { TAIWAN_REGIONS } from '../../sync/regions/taiwan.ts';
import type { PublicRegions } from './types.ts';

/** Taiwan's counties in map order, then countries abroad by code: a stable order for the table. */
const taiwanOrder = new Map(TAIWAN_REGIONS.map((r, i) => [r.key, i]));
const order = (key: string) => taiwanOrder.get(key) ?? TAIWAN_REGIONS.length;

/**
 * Supporters per region, from contacts who opted in to the map only. A region with fewer than
 * settings.map_min_supporters carries no count (null), so no small group can be singled out.
 */
export function publicRegions(dataset: Pick<Dataset, 'contacts' | 'settings'>): PublicRegions {
  const min = dataset.settings.map_min_supporters;
  const counts = new Map<string, { region: Region; count: number }>();
  for (const contact of dataset.contacts) {
    if (!contact.map_opt_in) continue;
    const { region } = placeContact(contact, dataset.settings.default_country);
    if (!region) continue;
    const entry = counts.get(region.key) ?? { region, count: 0 };
    entry.count++;
    counts.set(region.key, entry);
  }
  const regions = [...counts.values()]
    .sort((a, b) => order(a.region.key) - order(b.region.key) || a.region.key.localeCompare(b.region.key))
    .map(({ region, count }) => ({ key: region.key, name_zh: region.name_zh, name_en: region.name_en, count: count >= min ? count : null }));
  return { min_supporters: min, regions };
}
