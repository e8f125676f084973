import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Font, create } from 'fontkit';

/**
 * Noto Sans TC (OFL), full TrueType files from the npm package @expo-google-fonts/noto-sans-tc:
 * it covers Traditional Chinese, Latin and digits, so receipts look the same on every machine.
 * PDFs embed only the glyphs they use (a few kB each).
 */
const require = createRequire(import.meta.url);
export const FONT_FILES = {
  regular: require.resolve('@expo-google-fonts/noto-sans-tc/400Regular/NotoSansTC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-tc/700Bold/NotoSansTC_700Bold.ttf'),
} as const;

let loaded: { regular: Font; bold: Font } | undefined;

/**
 * The fonts, parsed once per process: parsing a 7 MB CJK font for every PDF would make a
 * thousand receipts take minutes; a parsed font also keeps its glyph cache between PDFs.
 */
export function receiptFonts(): { regular: Font; bold: Font } {
  const open = (path: string) => create(readFileSync(path)) as Font;
  loaded ??= { regular: open(FONT_FILES.regular), bold: open(FONT_FILES.bold) };
  return loaded;
}
