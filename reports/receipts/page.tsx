import { renderToStaticMarkup } from 'react-dom/server';
import type { Sheet } from './receipt.ts';

/** The bundled font files as the page refers to them, next to the pages (receipts/fonts/). */
export const PAGE_FONTS = { regular: 'NotoSansTC-Regular.ttf', bold: 'NotoSansTC-Bold.ttf' } as const;

// The same A4 layout as the PDF (pdf.ts): 2 cm margins, letterhead, rule, centred title,
// label/value rows, the gifts table, the signatory on the right, the note in small print.
const css = (fonts: string) => `
@font-face { font-family: 'Tidings Noto Sans TC'; font-weight: 400; src: url('${fonts}/${PAGE_FONTS.regular}') format('truetype'); }
@font-face { font-family: 'Tidings Noto Sans TC'; font-weight: 700; src: url('${fonts}/${PAGE_FONTS.bold}') format('truetype'); }
@page { size: A4; margin: 2cm; }
* { box-sizing: border-box; }
body { font-family: 'Tidings Noto Sans TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif; color: #111; margin: 0; }
main { max-width: 17cm; margin: 2cm auto; }
@media print { main { margin: 0; max-width: none; } }
.org { font-weight: 700; font-size: 16pt; margin: 0; }
.org-line { color: #555; font-size: 9.5pt; margin: 0; }
hr { border: 0; border-top: 0.6pt solid #999; margin: 8pt 0 0; }
h1 { text-align: center; font-size: 20pt; margin: 24pt 0 18pt; }
dl { display: grid; grid-template-columns: 110pt 1fr; row-gap: 6pt; margin: 0; }
dt { color: #555; font-size: 10pt; padding-top: 1.5pt; }
dd { margin: 0; font-size: 12pt; }
table { width: 100%; border-collapse: collapse; margin-top: 18pt; font-size: 10pt; }
th, td { text-align: left; padding: 4pt; border-top: 0.6pt solid #999; border-bottom: 0.6pt solid #999; }
th:last-child, td:last-child { text-align: right; }
th:nth-child(1) { width: 110pt; } th:nth-child(2) { width: 80pt; } th:last-child { width: 100pt; }
thead th, tfoot td { font-weight: 700; }
tr { break-inside: avoid; }
.signatory { margin: 36pt 0 0 50%; border-top: 0.6pt solid #999; padding-top: 6pt; text-align: right; font-size: 11pt; }
.note { color: #555; font-size: 9pt; margin-top: 24pt; }
`;

function SheetPage({ sheet, fonts }: { sheet: Sheet; fonts: string }) {
  return (
    <html lang={sheet.locale}>
      <head>
        <meta charSet="utf-8" />
        <title>{`${sheet.title} ${sheet.name}`}</title>
        <style>{css(fonts)}</style>
      </head>
      <body>
        <main>
          <p className="org">{sheet.org.name}</p>
          {sheet.org.lines.map((line) => <p className="org-line" key={line}>{line}</p>)}
          <hr />
          <h1>{sheet.title}</h1>
          <dl>
            {sheet.fields.map(([label, value]) => [<dt key={`${label}-t`}>{label}</dt>, <dd key={`${label}-d`}>{value}</dd>])}
          </dl>
          {sheet.table && (
            <table>
              <thead><tr>{sheet.table.head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
              <tbody>{sheet.table.rows.map((cells, i) => <tr key={i}>{cells.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
              <tfoot><tr>{sheet.table.foot.map((c, j) => <td key={j}>{c}</td>)}</tr></tfoot>
            </table>
          )}
          {sheet.signatory && <p className="signatory">{sheet.signatory}</p>}
          <p className="note">{sheet.note}</p>
        </main>
      </body>
    </html>
  );
}

/** The printable page for one Sheet; `fonts` is the folder with PAGE_FONTS, relative to the page. */
export function sheetHtml(sheet: Sheet, fonts = 'fonts'): string {
  return `<!doctype html>\n${renderToStaticMarkup(<SheetPage sheet={sheet} fonts={fonts} />)}`;
}
