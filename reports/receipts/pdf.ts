import { cjkPdf } from './font.ts';
import type { Sheet } from './receipt.ts';

// A4 in points, with 2 cm margins: the layout the printable HTML page mirrors (html.tsx).
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56.7;
const WIDTH = A4.width - 2 * MARGIN;
const LABEL_WIDTH = 110;
const INK = '#111111';
const MUTED = '#555555';

/** One Sheet as an A4 PDF with the bundled CJK font embedded as a subset. */
export function sheetPdf(sheet: Sheet): Promise<Buffer> {
  const { doc, done } = cjkPdf({
    size: 'A4', margin: MARGIN,
    info: { Title: `${sheet.title} ${sheet.name}`, Author: sheet.org.name, CreationDate: new Date(`${sheet.date}T00:00:00Z`) },
    lang: sheet.locale,
  });

  doc.fillColor(INK).font('bold').fontSize(16).text(sheet.org.name, { width: WIDTH });
  doc.font('regular').fontSize(9.5).fillColor(MUTED);
  for (const line of sheet.org.lines) doc.text(line, { width: WIDTH });
  rule(doc, doc.y + 8);

  doc.moveDown(1.2).fillColor(INK).font('bold').fontSize(20).text(sheet.title, MARGIN, doc.y, { width: WIDTH, align: 'center' });
  doc.moveDown(1);

  for (const [label, value] of sheet.fields) {
    const y = doc.y;
    doc.font('regular').fontSize(10).fillColor(MUTED).text(label, MARGIN, y + 1.5, { width: LABEL_WIDTH - 10 });
    const labelBottom = doc.y;
    doc.font('regular').fontSize(12).fillColor(INK).text(value, MARGIN + LABEL_WIDTH, y, { width: WIDTH - LABEL_WIDTH });
    doc.y = Math.max(doc.y, labelBottom) + 6;
  }

  if (sheet.table) table(doc, sheet.table);

  if (sheet.signatory) {
    room(doc, 80);
    const y = doc.y + 36;
    rule(doc, y, MARGIN + WIDTH / 2, WIDTH / 2);
    doc.font('regular').fontSize(11).fillColor(INK).text(sheet.signatory, MARGIN + WIDTH / 2, y + 6, { width: WIDTH / 2, align: 'right' });
  }
  doc.moveDown(2).font('regular').fontSize(9).fillColor(MUTED).text(sheet.note, MARGIN, doc.y, { width: WIDTH });
  doc.end();
  return done;
}

/** The gifts table: receipt number, date, purpose, amount (right-aligned), header and total rows bold. */
function table(doc: PDFKit.PDFDocument, t: NonNullable<Sheet['table']>) {
  const widths = [110, 80, WIDTH - 110 - 80 - 100, 100];
  const row = (cells: string[], font: 'regular' | 'bold') => {
    room(doc, 24);
    const y = doc.y;
    let x = MARGIN;
    let bottom = y;
    cells.forEach((cell, i) => {
      doc.font(font).fontSize(10).fillColor(INK).text(cell, x + 4, y + 4, { width: widths[i] - 8, align: i === cells.length - 1 ? 'right' : 'left' });
      bottom = Math.max(bottom, doc.y);
      x += widths[i];
    });
    doc.y = bottom + 4;
    rule(doc, doc.y);
  };
  doc.moveDown(1);
  rule(doc, doc.y);
  row(t.head, 'bold');
  for (const cells of t.rows) row(cells, 'regular');
  row(t.foot, 'bold');
}

/** Starts a new page when less than `height` points are left. */
function room(doc: PDFKit.PDFDocument, height: number) {
  if (doc.y + height > A4.height - MARGIN) doc.addPage();
}

function rule(doc: PDFKit.PDFDocument, y: number, x = MARGIN, width = WIDTH) {
  doc.save().moveTo(x, y).lineTo(x + width, y).lineWidth(0.6).strokeColor('#999999').stroke().restore();
  doc.y = y;
}
