/**
 * Markdown as a person sees it: rendered by markdown-it (CommonMark + GFM tables and linkify, as VS Code's
 * hovers render), independently of the code that wrote it. `text` is what is visible (tags stripped, entities
 * decoded); `html` lets a test assert what elements exist (no <a>, no <img>).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (preset: string, options: Record<string, unknown>) => { render(src: string): string };

const md = new MarkdownIt('default', { html: false, linkify: true });

export function rendered(src: string): { html: string; text: string } {
  const html = md.render(src);
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
  return { html, text };
}
