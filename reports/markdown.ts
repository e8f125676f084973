import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Where a URL sits in rendered Markdown: a link's href or an image's src. */
export type UrlPlace = 'a' | 'img';

const marked = new Marked({ async: false });

// Staff write Markdown, and may paste HTML from anywhere (a web page, a form, an AI): only what a
// story needs survives. sanitize-html's defaults drop every on* attribute, <script>, <iframe>,
// <svg>, <form> and style; links may go to http, https and mailto, images come from http or https.
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
  allowedAttributes: { a: ['href', 'name', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
};

/**
 * Staff Markdown (a campaign's story on the site, a newsletter's stories) as HTML that can run no
 * script, the one renderer for both. `url` rewrites each link and image address that is kept (the
 * site's base path, a newsletter's UTM tags), in raw HTML as in Markdown.
 */
export function renderMarkdown(markdown: string, url: (href: string, place: UrlPlace) => string = (href) => href): string {
  const html = marked.parse(markdown) as string;
  const rewrite = (place: UrlPlace, attribute: 'href' | 'src'): sanitizeHtml.Transformer => (tagName, attribs) => ({
    tagName,
    attribs: attribs[attribute] === undefined ? attribs : { ...attribs, [attribute]: url(attribs[attribute], place) },
  });
  return sanitizeHtml(html, { ...ALLOWED, transformTags: { a: rewrite('a', 'href'), img: rewrite('img', 'src') } });
}
