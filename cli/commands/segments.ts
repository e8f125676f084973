import { Command } from 'commander';
import { SEGMENTS, evaluateSegment, parseSegmentSpec } from '../../reports/segments/index.ts';
import { memberRows } from '../../reports/segments/write.ts';
import { printable } from '../../sync/terminal.ts';
import { withDataOptions } from '../options.ts';
import { type SegmentOptions, loadForSegments, specWithOptions, withSegmentOptions } from '../segment-options.ts';

// CJK characters take two columns in a terminal.
const width = (text: string) => [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);

// Cells are the data's text: made printable, so a name cannot drive the terminal.
const table = (cells: string[][]) => {
  const rows = cells.map((r) => r.map(printable));
  const widths = rows[0].map((_, i) => rows.reduce((w, r) => Math.max(w, width(r[i])), 0));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - width(c)))).join('  ')).join('\n');
};

export const segmentsCommand = withSegmentOptions(withDataOptions(new Command('segments')))
  .argument('[segment]', 'a segment id or spec, e.g. recent_donors or recent_donors?months=3')
  .action(async (spec: string | undefined, options: SegmentOptions) => {
    const { dataset, asOf } = await loadForSegments(options);
    const locale = dataset.settings.default_locale;
    if (!spec) {
      const rows = SEGMENTS.map((s) => {
        const full = specWithOptions(s.id, options, false);
        return [full, String(evaluateSegment(dataset, asOf, full).length), s.title[locale]];
      });
      console.log(`segments as of ${asOf}`);
      console.log(table([['segment', 'count', 'title'], ...rows]));
      return;
    }
    const full = specWithOptions(spec, options, true);
    const { definition } = parseSegmentSpec(full);
    const members = memberRows(dataset, evaluateSegment(dataset, asOf, full));
    console.log(`${definition.title[locale]} (${full}) as of ${asOf}: ${members.length}`);
    if (members.length) console.log(table([['contact_id', 'name', 'reason'], ...members.map((m) => [m.contact_id, m.display_name, m.reason])]));
  });
