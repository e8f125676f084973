import { Marked } from 'marked';
import { basePath } from './base-path.ts';
import { site } from './data.ts';

const base = basePath(site.site_url);

/** A campaign story (Markdown) as HTML; a link to /impact/ points into the site's own folder. */
const marked = new Marked({
  walkTokens(token) {
    if ((token.type === 'link' || token.type === 'image') && token.href.startsWith('/') && !token.href.startsWith('//')) {
      token.href = base + token.href.slice(1);
    }
  },
});

export const renderStory = (markdown: string): string => marked.parse(markdown, { async: false });
