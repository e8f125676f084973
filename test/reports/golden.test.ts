/**
 * Byte-identical outputs: the segment files, the dashboard and the public JSON of the sample and of
 * a generated 3,000-contact workbook at several dates must hash as recorded in
 * test/fixtures/golden.json. A structural change (the ledger, segments, KPIs) must keep them; when
 * behaviour changes on purpose, regenerate the baseline with
 *   sh scripts/with-node.sh tsx test/support/golden.ts --write
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { GOLDEN_FILE, goldenHashes } from '../support/golden.ts';

test('every gift, segment and KPI output is byte-identical to the recorded baseline', async () => {
  const recorded = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, string>;
  const now = await goldenHashes();
  const differ = Object.keys(recorded).filter((file) => now[file] !== undefined && now[file] !== recorded[file]);
  const missing = Object.keys(recorded).filter((file) => now[file] === undefined);
  const added = Object.keys(now).filter((file) => recorded[file] === undefined);
  expect({ differ, missing, added }).toEqual({ differ: [], missing: [], added: [] });
}, 240_000);
