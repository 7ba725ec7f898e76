/**
 * The HTML page of a webview panel (graph preview, HAT results history): a strict Content-Security-Policy
 * (nothing but the extension's own files, scripts only with this page's nonce), the stylesheets and the
 * script bundle. Values placed in the page are HTML-escaped; nothing is interpolated into scripts.
 */
import * as crypto from 'node:crypto';
import type * as vscode from 'vscode';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PageOptions {
  webview: vscode.Webview;
  title: string;
  /** The script bundle (a webview URI). */
  script: vscode.Uri;
  stylesheets?: vscode.Uri[];
  /** A <style> element of the page's own (it carries the nonce). */
  style?: string;
  /**
   * Inline style attributes allowed ('unsafe-inline' in style-src): d3 and the toolkit set element styles.
   * Without it, only the stylesheets and the nonce'd <style> apply.
   */
  inlineStyleAttributes?: boolean;
  /** blob: images (the PNG export draws the SVG through one). */
  blobImages?: boolean;
  fonts?: boolean;
  /** data-* attributes of <body>. */
  data?: Record<string, string>;
  /** The body's markup before the script (static, already safe). */
  body: string;
}

export function webviewPage(o: PageOptions): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const src = o.webview.cspSource;
  const csp = [
    "default-src 'none'",
    `img-src ${src} data:${o.blobImages ? ' blob:' : ''}`,
    `style-src ${src} ${o.inlineStyleAttributes ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    ...(o.fonts ? [`font-src ${src}`] : []),
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const links = (o.stylesheets ?? []).map((u) => `<link href="${escapeHtml(u.toString())}" rel="stylesheet">`).join('\n');
  const data = Object.entries(o.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}${o.style ? `\n<style nonce="${nonce}">${o.style}</style>` : ''}
<title>${escapeHtml(o.title)}</title>
</head>
<body${data}>
${o.body}
<script nonce="${nonce}" src="${escapeHtml(o.script.toString())}"></script>
</body>
</html>`;
}
