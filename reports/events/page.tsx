import QRCode from 'qrcode';
import { renderToStaticMarkup } from 'react-dom/server';
import { PAGE_FONTS } from '../receipts/page.tsx';
import { PAPER_COLUMNS, PAPER_ROWS, type SignupSheet } from './signup-sheet.ts';

// The same two A4 pages as the PDF (pdf.ts): the QR code page portrait with 2 cm margins, the
// paper sheet landscape with 1.5 cm margins (a named page), the QR code 7 cm wide. No script.
const css = (fonts: string, colour: string) => `
@font-face { font-family: 'Tidings Noto Sans TC'; font-weight: 400; src: url('${fonts}/${PAGE_FONTS.regular}') format('truetype'); }
@font-face { font-family: 'Tidings Noto Sans TC'; font-weight: 700; src: url('${fonts}/${PAGE_FONTS.bold}') format('truetype'); }
@page { size: A4 portrait; margin: 2cm; }
@page paper { size: A4 landscape; margin: 1.5cm; }
* { box-sizing: border-box; }
body { font-family: 'Tidings Noto Sans TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif; color: #111; margin: 0; }
section { margin: 2cm auto; max-width: 17cm; }
section.paper { page: paper; max-width: 26.7cm; break-before: page; }
@media print { section { margin: 0; max-width: none; } }
.org { border-top: 6pt solid ${colour}; padding-top: 6pt; font-weight: 700; font-size: 14pt; margin: 0; text-align: left; }
.qr-page { text-align: center; }
.qr-page h1 { font-size: 24pt; margin: 24pt 0 4pt; }
.when { color: #555; font-size: 13pt; margin: 0; }
.scan { font-weight: 700; font-size: 14pt; margin: 18pt 0 8pt; }
.qr { width: 7cm; height: 7cm; margin: 0 auto; display: block; }
.qr svg { width: 100%; height: 100%; display: block; }
.or { color: #555; font-size: 10pt; margin: 8pt 0 2pt; }
.url { font-size: 11pt; margin: 0 0 24pt; overflow-wrap: anywhere; }
.statement { text-align: left; }
.statement h2 { font-size: 12.5pt; margin: 0 0 4pt; }
.statement p { font-size: 10.5pt; margin: 0 0 2pt; }
.statement .version { color: #555; font-size: 9.5pt; margin-top: 4pt; }
.paper h1 { font-size: 15pt; margin: 8pt 0 0; }
.paper .when { font-size: 10pt; margin-bottom: 6pt; }
.paper .statement h2 { font-size: 10pt; }
.paper .statement p { font-size: 8pt; }
.paper .statement .version { font-size: 7pt; }
.intro { font-weight: 700; font-size: 9.5pt; margin: 6pt 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.6pt solid #999; padding: 3pt; text-align: left; vertical-align: top; }
th { font-size: 9pt; }
th small { display: block; color: #555; font-weight: 400; font-size: 7pt; }
td { height: 25pt; }
th.consent, td.consent { width: 5%; text-align: center; vertical-align: middle; }
th.email { width: 22%; } th.topics { width: 13%; } th.phone { width: 12%; }
.box { display: inline-block; width: 11pt; height: 11pt; border: 0.8pt solid #111; }
tr { break-inside: avoid; }
.hint { color: #555; font-size: 8pt; margin: 4pt 0 0; }
`;

function Statement({ sheet }: { sheet: SignupSheet }) {
  const { statement: s, text } = sheet;
  return (
    <div className="statement">
      <h2>{text.statementTitle}</h2>
      {(['what', 'howOften', 'whoSees', 'howToLeave'] as const).map((key) => <p key={key}><strong>{`${text.parts[key]}${text.colon}`}</strong>{s[key]}</p>)}
      <p className="version">{text.version(s.version)}</p>
    </div>
  );
}

function SignupSheetPage({ sheet, fonts, qrSvg }: { sheet: SignupSheet; fonts: string; qrSvg: string }) {
  const { text, choices } = sheet;
  const when = [text.date(sheet.event.date), sheet.event.location].filter(Boolean).join(' · ');
  return (
    <html lang={sheet.locale}>
      <head>
        <meta charSet="utf-8" />
        <title>{`${sheet.event.title}: ${text.paperTitle}`}</title>
        <style>{css(fonts, sheet.colour)}</style>
      </head>
      <body>
        <section className="qr-page">
          <p className="org">{sheet.org}</p>
          <h1>{sheet.event.title}</h1>
          <p className="when">{when}</p>
          <p className="scan">{text.scan}</p>
          {/* The SVG is qrcode's own rendering of the join URL: only paths, no text from the sheet. */}
          <div className="qr" role="img" aria-label={sheet.joinUrl} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p className="or">{text.orType}</p>
          <p className="url">{sheet.joinUrl}</p>
          <Statement sheet={sheet} />
        </section>
        <section className="paper">
          <p className="org">{sheet.org}</p>
          <h1>{`${text.paperTitle}${text.colon}${sheet.event.title}`}</h1>
          <p className="when">{when}</p>
          <Statement sheet={sheet} />
          <p className="intro">{text.paperIntro}</p>
          <table>
            <thead>
              <tr>
                <th className="consent">{text.consent}</th>
                {PAPER_COLUMNS.map((c) => <th key={c} className={c}>{text.columns[c]}<small>{c}</small></th>)}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: PAPER_ROWS }, (_, i) => (
                <tr key={i}>
                  <td className="consent"><span className="box" /></td>
                  {PAPER_COLUMNS.map((c) => <td key={c} />)}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{`${text.choices}${text.colon}channels ${choices.channels} · topics ${choices.topics} · frequency ${choices.frequency}`}</p>
          <p className="hint">{text.forStaff(sheet.event.id, sheet.statement.version)}</p>
        </section>
      </body>
    </html>
  );
}

/** The printable page (both sheets); `fonts` is the folder with PAGE_FONTS, relative to the page. */
export async function signupSheetHtml(sheet: SignupSheet, fonts = 'fonts'): Promise<string> {
  const qrSvg = await QRCode.toString(sheet.joinUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `<!doctype html>\n${renderToStaticMarkup(<SignupSheetPage sheet={sheet} fonts={fonts} qrSvg={qrSvg} />)}`;
}
