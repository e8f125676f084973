import { renderMarkdown } from '../../reports/markdown.ts';
import { basePath } from './base-path.ts';
import { site } from './data.ts';

const base = basePath(site.site_url);

/** A campaign story (Markdown) as safe HTML; a link to /impact/ points into the site's own folder. */
export const renderStory = (markdown: string): string =>
  renderMarkdown(markdown, (href) => (href.startsWith('/') && !href.startsWith('//') ? base + href.slice(1) : href));
