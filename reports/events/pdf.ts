import QRCode from 'qrcode';
import { cjkPdf } from '../receipts/font.ts';
import { PAPER_COLUMNS, PAPER_ROWS, type SignupSheet } from './signup-sheet.ts';

// A4 in points. Page 1 (the QR code) is portrait with 2 cm margins; page 2 (the paper sheet) is
// landscape with 1.5 cm margins, so eight handwritten columns fit. page.tsx mirrors both.
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56.7;
const PAPER_MARGIN = 42.5;
const INK = '#111111';
const MUTED = '#555555';
const LINE = '#999999';
/** The QR code's side: 7 cm, easy to scan from a table's length away. */
const QR_SIDE = 198;
// Relative widths of the paper columns (the tick box first), scaled to the page's width.
const PAPER_WEIGHTS: Record<'consent' | (typeof PAPER_COLUMNS)[number], number> = {
  consent: 0.55, first_name: 1, last_name: 1, email: 2.4, phone: 1.3, region: 0.9, channels: 1, topics: 1.4, frequency: 0.9,
};
const ROW_HEIGHT = 25;
const MIN_ROWS = 5;
/** Room for the two lines of hints under the paper table. */
const HINT_HEIGHT = 28;

/** The event sheet as a two-page A4 PDF: the QR code page and the paper sign-up sheet, the CJK font embedded as a subset. */
export function signupSheetPdf(sheet: SignupSheet): Promise<Buffer> {
  const { doc, done } = cjkPdf({
    size: 'A4', margin: MARGIN, lang: sheet.locale,
    info: { Title: `${sheet.event.title}: ${sheet.text.paperTitle}`, Author: sheet.org, CreationDate: new Date(`${sheet.event.date}T00:00:00Z`) },
  });
  qrPage(doc, sheet);
  doc.addPage({ size: 'A4', layout: 'landscape', margin: PAPER_MARGIN });
  paperPage(doc, sheet);
  doc.end();
  return done;
}

function qrPage(doc: PDFKit.PDFDocument, sheet: SignupSheet) {
  const width = A4.width - 2 * MARGIN;
  header(doc, sheet, MARGIN, width);
  doc.moveDown(1.5).font('bold').fontSize(24).fillColor(INK).text(sheet.event.title, MARGIN, doc.y, { width, align: 'center' });
  doc.moveDown(0.3).font('regular').fontSize(13).fillColor(MUTED).text(when(sheet), { width, align: 'center' });
  doc.moveDown(1.2).font('bold').fontSize(14).fillColor(INK).text(sheet.text.scan, { width, align: 'center' });
  const top = doc.y + 10;
  qrCode(doc, sheet.joinUrl, MARGIN + (width - QR_SIDE) / 2, top, QR_SIDE);
  doc.y = top + QR_SIDE + 10;
  doc.font('regular').fontSize(10).fillColor(MUTED).text(sheet.text.orType, MARGIN, doc.y, { width, align: 'center' });
  // On one line, so it reads (and copies) as one address: the font shrinks for a long one.
  let size = 12;
  doc.font('regular');
  while (size > 6 && doc.fontSize(size).widthOfString(sheet.joinUrl) > width) size -= 0.5;
  doc.fillColor(INK).text(sheet.joinUrl, MARGIN, doc.y + 2, { width, align: 'center', lineBreak: false });
  doc.moveDown(2);
  statement(doc, sheet, MARGIN, width, 10.5);
}

function paperPage(doc: PDFKit.PDFDocument, sheet: SignupSheet) {
  const width = A4.height - 2 * PAPER_MARGIN;
  header(doc, sheet, PAPER_MARGIN, width);
  doc.moveDown(0.6).font('bold').fontSize(15).fillColor(INK).text(`${sheet.text.paperTitle}${sheet.text.colon}${sheet.event.title}`, PAPER_MARGIN, doc.y, { width });
  doc.font('regular').fontSize(10).fillColor(MUTED).text(when(sheet), { width });
  doc.moveDown(0.5);
  statement(doc, sheet, PAPER_MARGIN, width, 8);
  doc.moveDown(0.4).font('bold').fontSize(9.5).fillColor(INK).text(sheet.text.paperIntro, PAPER_MARGIN, doc.y, { width });
  doc.moveDown(0.5);

  const total = Object.values(PAPER_WEIGHTS).reduce((a, b) => a + b, 0);
  const columns = (['consent', ...PAPER_COLUMNS] as const).map((key) => ({ key, width: (PAPER_WEIGHTS[key] * width) / total }));
  // As many rows as fit under the statement (a long one in settings leaves fewer); the table
  // moves to a page of its own when fewer than MIN_ROWS would.
  const head = 27;
  const limit = A4.width - PAPER_MARGIN - HINT_HEIGHT;
  if (Math.floor((limit - doc.y - head) / ROW_HEIGHT) < MIN_ROWS) doc.addPage({ size: 'A4', layout: 'landscape', margin: PAPER_MARGIN });
  const top = doc.y;
  const rows = Math.min(PAPER_ROWS, Math.floor((limit - top - head) / ROW_HEIGHT));
  let x = PAPER_MARGIN;
  for (const column of columns) {
    const label = column.key === 'consent' ? sheet.text.consent : sheet.text.columns[column.key];
    doc.font('bold').fontSize(9).fillColor(INK).text(label, x + 3, top + 3, { width: column.width - 6, lineBreak: false });
    // The tab's own column name, which staff type the row into (the tick box has none: it is the consent itself).
    if (column.key !== 'consent') doc.font('regular').fontSize(7).fillColor(MUTED).text(column.key, x + 3, top + 16, { width: column.width - 6, lineBreak: false });
    x += column.width;
  }
  const bottom = top + head + rows * ROW_HEIGHT;
  doc.save().lineWidth(0.6).strokeColor(LINE);
  doc.rect(PAPER_MARGIN, top, width, bottom - top).stroke();
  for (let i = 0; i <= rows; i++) doc.moveTo(PAPER_MARGIN, top + head + i * ROW_HEIGHT).lineTo(PAPER_MARGIN + width, top + head + i * ROW_HEIGHT).stroke();
  x = PAPER_MARGIN;
  for (const column of columns.slice(0, -1)) {
    x += column.width;
    doc.moveTo(x, top).lineTo(x, bottom).stroke();
  }
  // A tick box per row: drawn, since a box glyph is not in every font.
  const box = 11;
  for (let i = 0; i < rows; i++) doc.rect(PAPER_MARGIN + (columns[0].width - box) / 2, top + head + i * ROW_HEIGHT + (ROW_HEIGHT - box) / 2, box, box).stroke(INK);
  doc.restore();

  const { choices, text } = sheet;
  doc.font('regular').fontSize(8).fillColor(MUTED);
  doc.text(`${text.choices}${text.colon}channels ${choices.channels} · topics ${choices.topics} · frequency ${choices.frequency}`, PAPER_MARGIN, bottom + 6, { width });
  doc.text(text.forStaff(sheet.event.id, sheet.statement.version), { width });
}

/** The org's name over a band in its colour. */
function header(doc: PDFKit.PDFDocument, sheet: SignupSheet, x: number, width: number) {
  doc.save().rect(x, doc.y, width, 6).fill(sheet.colour).restore();
  doc.font('bold').fontSize(14).fillColor(INK).text(sheet.org, x, doc.y + 12, { width });
}

/** The purpose statement, its four parts labelled, and its version. */
function statement(doc: PDFKit.PDFDocument, sheet: SignupSheet, x: number, width: number, size: number) {
  const { statement: s, text } = sheet;
  doc.font('bold').fontSize(size + 2).fillColor(INK).text(text.statementTitle, x, doc.y, { width });
  doc.moveDown(0.2);
  for (const key of ['what', 'howOften', 'whoSees', 'howToLeave'] as const) {
    doc.font('bold').fontSize(size).fillColor(INK).text(`${text.parts[key]}${text.colon}`, x, doc.y, { width, continued: true });
    doc.font('regular').text(s[key]);
  }
  doc.moveDown(0.2).font('regular').fontSize(size - 1).fillColor(MUTED).text(text.version(s.version), x, doc.y, { width });
}

const when = (sheet: SignupSheet) => [sheet.text.date(sheet.event.date), sheet.event.location].filter(Boolean).join(' · ');

/** The QR code as filled squares (vector, sharp at any print size), with the standard 4-module quiet zone. */
function qrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, side: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cell = side / (modules.size + 2 * quiet);
  doc.save().rect(x, y, side, side).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill('#000000').restore();
}
