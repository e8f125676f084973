import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PublicCampaign, PublicImpactRow, PublicNewsletter, PublicRegions, PublicSite, PublicTotals } from '../../reports/public/types.ts';
import { idProblem } from '../../sync/cells/id-rule.ts';

/**
 * The only data the site reads: the public aggregates in <out>/public/ (TIDINGS_PUBLIC_DIR, set by
 * `tidings build`). Nothing here can name a person: the files hold counts and sums only.
 */
export const publicFolder = resolve(process.env.TIDINGS_PUBLIC_DIR ?? join('out', 'public'));

function read<T>(file: string, fallback?: T): T {
  const path = join(publicFolder, file);
  if (!existsSync(path)) {
    if (fallback !== undefined) return fallback;
    throw new Error(`the site needs ${path}: run \`tidings run\` (or the reports stage) first, or pass --out with the folder that holds public/`);
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}): run the reports stage again`);
  }
}

export const site = read<PublicSite>('site.json');
export const totals = read<PublicTotals>('totals.json');
/**
 * Ids become page paths (/donate/<slug>/, /newsletters/<id>/). Sync lets only safe ids through;
 * one that is not (a JSON file edited by hand, an older run) is skipped, not built outside dist.
 */
const pageable = <T>(items: T[], id: (item: T) => string) => items.filter((item) => idProblem(id(item)) === undefined);

export const campaigns = pageable(read<PublicCampaign[]>('campaigns.json'), (c) => c.slug);
export const impact = read<PublicImpactRow[]>('impact.json');
export const regions = read<PublicRegions>('regions.json');
/** Written by the newsletter stage once a public mailing has gone out; an empty archive until then. */
export const newsletters = pageable(read<PublicNewsletter[]>('newsletters.json', []), (n) => n.mailing_id);

/** A campaign visitors can still give to: no end date, or not past it. */
export const isOpen = (c: PublicCampaign) => c.days_left === null || c.days_left >= 0;
