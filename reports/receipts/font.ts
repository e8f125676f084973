import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Font, create } from 'fontkit';
import PDFDocument from 'pdfkit';

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

/**
 * An A4-ready pdfkit document with the bundled CJK fonts registered as 'regular' and 'bold', and
 * the finished file once `doc.end()` is called: receipts and event sheets are made the same way.
 */
export function cjkPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const fonts = receiptFonts();
  const doc = new PDFDocument(options);
  // pdfkit takes a parsed fontkit font as well as bytes (PDFFontFactory.open); its types only list bytes.
  doc.registerFont('regular', fonts.regular as unknown as Buffer);
  doc.registerFont('bold', fonts.bold as unknown as Buffer);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}
