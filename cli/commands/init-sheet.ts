import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { SourceError } from '../../sync/sources/source.ts';
import { spreadsheetIdOf } from '../../sync/sources/open.ts';
import type { SheetsClient } from '../../sync/sources/sheets-client.ts';
import { type TemplateTab, templateFormats, templateSheet, templateTabs } from '../../sync/sources/sheet-template.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import { UsageError } from '../../sync/errors.ts';

export interface InitSheetOptions {
  /** An existing, empty spreadsheet to fill; without it a new one is created. */
  sheet?: string;
  title: string;
  sample?: RawWorkbook;
}

const DEFAULT_SAMPLE = 'data/sample';

/**
 * Lays out every tab of the data model in a spreadsheet: three requests in all (create or add
 * the tabs, formats and validation, then the values). Returns the spreadsheet id.
 */
export async function initSheet(client: SheetsClient, options: InitSheetOptions): Promise<string> {
  // The Google client loads only when a sheet is laid out, not for every command's start.
  const [{ newSheetId }, { quoteTab }] = await Promise.all([import('../../sync/sources/google-sheets.ts'), import('../../sync/sources/sheets-client.ts')]);
  const tabs = templateTabs(options.sample);
  let spreadsheetId: string;
  let ids: number[];
  if (options.sheet) {
    spreadsheetId = spreadsheetIdOf(options.sheet) ?? '';
    if (!spreadsheetId) throw new UsageError(`--sheet ${options.sheet}: give the spreadsheet's id or its address`);
    const existing = await client.tabs(spreadsheetId);
    const values = await client.batchGet(spreadsheetId, existing.map((t) => quoteTab(t.title)));
    const used = existing.filter((_, i) => values[i].length > 0).map((t) => t.title);
    if (used.length > 0) {
      throw new SourceError(`the spreadsheet ${spreadsheetId} is not empty (data in: ${used.join(', ')}): init-sheet only fills an empty spreadsheet; make a new one at https://sheets.new and share it`);
    }
    const taken = existing.map((t) => t.sheetId);
    ids = tabs.map(() => {
      const id = newSheetId(taken);
      taken.push(id);
      return id;
    });
    // The new tabs first, then the empty ones the spreadsheet came with (a spreadsheet always needs one tab).
    await client.batchUpdate(spreadsheetId, [
      ...tabs.map((tab, i) => ({ addSheet: { properties: templateSheet(tab, ids[i]) } })),
      ...existing.map((t) => ({ deleteSheet: { sheetId: t.sheetId } })),
      ...tabs.flatMap((tab, i) => templateFormats(tab, ids[i])),
    ], 'add the tabs', { idempotent: false });
  } else {
    ids = tabs.map((_, i) => i);
    spreadsheetId = await client.create({ properties: { title: options.title }, sheets: tabs.map((tab, i) => ({ properties: templateSheet(tab, ids[i]) })) });
    await client.batchUpdate(spreadsheetId, tabs.flatMap((tab, i) => templateFormats(tab, ids[i])), 'format the tabs');
  }
  const tabValues = (tab: TemplateTab) => ({ range: `${quoteTab(tab.title)}!A1`, values: [tab.header, ...tab.rows] });
  await client.writeValues(spreadsheetId, tabs.map(tabValues), 'write the headers and rows');
  return spreadsheetId;
}

export const initSheetCommand = new Command('init-sheet')
  .option('--sheet <id>', 'fill this empty spreadsheet (its id or address) instead of creating a new one')
  .option('--title <title>', 'the new spreadsheet\'s title', 'Tidings donors')
  .option('--sample', 'fill the tabs with the sample data too')
  .option('--sample-from <dir>', 'the CSV folder the sample comes from', DEFAULT_SAMPLE)
  .action(async (options: { sheet?: string; title: string; sample?: boolean; sampleFrom: string }) => {
    let sample: RawWorkbook | undefined;
    if (options.sample) {
      if (!existsSync(options.sampleFrom)) throw new UsageError(`--sample: there is no folder ${options.sampleFrom}: give the sample's CSV folder with --sample-from <dir>`);
      sample = await new CsvFolderSource(options.sampleFrom).read();
    }
    const [{ SheetsClient, sheetUrl }, { serviceAccountEmail }] = await Promise.all([import('../../sync/sources/sheets-client.ts'), import('../../sync/sources/google-auth.ts')]);
    const client = new SheetsClient();
    const id = await initSheet(client, { sheet: options.sheet, title: options.title, sample });
    const email = await serviceAccountEmail(client.auth);
    console.log(`init-sheet: ${sheetUrl(id)}`);
    if (email) {
      console.log(`share it with ${email} as an Editor (Share button, top right), if it is not shared yet`);
      if (!options.sheet) console.log(`note: ${email} created it and owns it; staff open it once that account shares it, so making an empty sheet yourself and running init-sheet --sheet <id> is simpler`);
    }
    console.log(`then: export TIDINGS_SHEET_ID=${id} and run tidings sync`);
    console.log(`used: ${client.usage()}`);
  });
