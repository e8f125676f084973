import taiwan from '@svg-maps/taiwan';
import { geoCentroid, geoEqualEarth, geoPath } from 'd3-geo';
import type { GeoPermissibleObjects } from 'd3-geo';
import countries from 'i18n-iso-countries';
import { feature, merge } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world50 from 'world-atlas/countries-50m.json';
import world110 from 'world-atlas/countries-110m.json';
import type { PublicRegions } from '../../reports/public/types.ts';
import { TAIWAN_REGIONS } from '../../sync/regions/taiwan.ts';

/**
 * The supporter map's shapes, drawn at build time: Taiwan's 22 counties and cities from
 * @svg-maps/taiwan, and countries abroad from world-atlas projected with d3-geo.
 */
export type Level = 'none' | 'few' | 1 | 2 | 3 | 4;
export interface Shape {
  key: string;
  name_zh: string;
  name_en: string;
  d: string;
  /** undefined: nobody there; null: fewer than min_supporters. */
  count: number | null | undefined;
  level: Level;
}

/** Four shades by share of the largest count; "few" and "none" have their own. */
function levelOf(count: number | null | undefined, max: number): Level {
  if (count === undefined) return 'none';
  if (count === null) return 'few';
  return Math.max(1, Math.ceil((count / max) * 4)) as 1 | 2 | 3 | 4;
}

/** One scale for Taiwan and abroad, so one legend reads both maps. */
const maxCount = (data: PublicRegions) => data.regions.reduce((max, r) => Math.max(max, r.count ?? 0), 1);

/** The legend's four shades as count ranges (empty ones left out). */
export function legendLevels(data: PublicRegions): { level: Level; from: number; to: number }[] {
  const max = maxCount(data);
  return ([1, 2, 3, 4] as const)
    .map((level) => ({ level, from: Math.max(data.min_supporters, Math.floor(((level - 1) * max) / 4) + 1), to: Math.floor((level * max) / 4) }))
    .filter((l) => l.from <= l.to);
}

export const TAIWAN_VIEWBOX = taiwan.viewBox;

export function taiwanShapes(data: PublicRegions): Shape[] {
  const byKey = new Map(data.regions.map((r) => [r.key, r]));
  const max = maxCount(data);
  return TAIWAN_REGIONS.map((r) => {
    const count = byKey.has(r.key) ? byKey.get(r.key)!.count : undefined;
    const d = taiwan.locations.find((l) => l.id === r.svgId)!.path;
    return { key: r.key, name_zh: r.name_zh, name_en: r.name_en, d, count, level: levelOf(count, max) };
  });
}

export const WORLD_SIZE: [number, number] = [640, 300];
/** A country smaller than this (px²) is drawn as a dot so it can be seen and pointed at. */
const DOT_AREA = 12;

type Countries = Topology<{ countries: GeometryCollection }>;
const fine = world50 as unknown as Countries;
const coarse = world110 as unknown as Countries;
const ANTARCTICA = '010';

/** Land without Antarctica as one background path, and one shape per country with supporters. */
export function worldShapes(data: PublicRegions): { land: string; shapes: Shape[] } {
  const abroad = data.regions.filter((r) => !r.key.startsWith('TW-'));
  const land = merge(coarse, coarse.objects.countries.geometries.filter((g) => g.id !== ANTARCTICA) as Parameters<typeof merge>[1]);
  const path = geoPath(geoEqualEarth().fitSize(WORLD_SIZE, land)).digits(0);
  const max = maxCount(data);
  const outline = (alpha3: string): string => {
    const numeric = countries.alpha3ToNumeric(alpha3);
    // 1:110m leaves out small countries (Singapore, Hong Kong); 1:50m has them.
    const source = [coarse, fine].find((t) => t.objects.countries.geometries.some((g) => String(g.id) === numeric));
    if (!source) return '';
    const country = feature(source, source.objects.countries.geometries.find((g) => String(g.id) === numeric)!) as GeoPermissibleObjects;
    return path.area(country) < DOT_AREA ? path.pointRadius(7)({ type: 'Point', coordinates: geoCentroid(country) })! : path(country)!;
  };
  const shapes = abroad.map((r) => ({ key: r.key, name_zh: r.name_zh, name_en: r.name_en, d: outline(r.key), count: r.count, level: levelOf(r.count, max) }));
  return { land: path(land)!, shapes };
}
