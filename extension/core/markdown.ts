/**
 * Text from a config file or a log going into Markdown (hovers, the network summary, completion details):
 * an op name, a field name, a finding's message or a traceback line is shown as the characters it is, never as
 * Markdown — a crafted op string cannot add a link, a command link or a remote image, nor break a table or a
 * list. Every place that puts such text into Markdown goes through here. Pure.
 */

/**
 * Backslash-escape what Markdown (CommonMark + GFM tables, strikethrough and autolinks) would read as markup in
 * running text — within a line, a list item or a table cell, which is where file and log text goes: code,
 * emphasis, strikethrough, link and image brackets, table pipes; newlines become spaces (so the text stays in its
 * line or cell); `&` and `<` as entities (no HTML). `_` between letters is never emphasis and stays; `(`, `)` and
 * `!` make nothing once `[` is escaped; `://` and `www.` are broken so GFM does not turn a bare URL into a link.
 * Ordinary text stays readable as raw Markdown.
 */
export function escapeMarkdown(s: string): string {
  const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*[\]|~])/g, '\\$1')
    .replace(/_/g, (m, at: number, all: string) => (alnum(all[at - 1]) && alnum(all[at + 1]) ? m : '\\_'))
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/** Inline code of arbitrary text: a backtick fence longer than any run of backticks inside (CommonMark), newlines as spaces. */
export function markdownCode(s: string): string {
  const text = s.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || /^ .* $/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Text for a VS Code notification: it renders `[label](https:…|command:…|file:…)` as a link (command links
 * run), so file and log text must not carry that shape. A space between `]` and `(` keeps the text readable
 * and makes it plain.
 */
export function notificationText(s: string): string {
  return s.replace(/\]\s*\(/g, '] (');
}
