// Drives the VS Code workbench in Chromium the way a person does: keyboard shortcuts, the mouse over a token,
// and reading what is on screen (Problems rows, hover text, suggest rows, the editor's rendered lines).
// Positions are 1-based lines and columns, as the status bar shows them ("Ln 12, Col 5").
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser';
import { outputDir, slug } from './paths';
import { startCodeServer, type CodeServer, type ServerOptions } from './server';

export interface Position {
  line: number;
  column: number;
}

export interface ProblemRow {
  /** What the row shows, as one line. */
  text: string;
  /** The row's aria-label: VS Code's own full description (severity, message, source, code, position). */
  ariaLabel: string;
  message: string;
  source?: string;
  code?: string;
  /** Related-information rows shown under it, e.g. "mistakes.py[Ln 41, Col 53]: stage 3 out_channels=56". */
  related?: string[];
  /** Where the code links to (the rule's documentation), when it is a link. */
  codeLink?: string;
  line?: number;
  column?: number;
  severity?: 'error' | 'warning' | 'info' | 'hint';
}

export interface SuggestRow {
  label: string;
  /** The detail/description shown to the right of the label (may be empty until the row is focused). */
  detail: string;
  ariaLabel: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MOD = 'Control';

/** Polls `fn` until it returns a truthy value; throws with the last value (and `what`) after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 15_000, every = 150): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

/** Finds `token` in `text` (the n-th occurrence, 0-based, optionally only on `line`): its 1-based position. */
export function positionOf(text: string, token: string, opts: { occurrence?: number; line?: number; offset?: number } = {}): Position {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (opts.line !== undefined && i + 1 !== opts.line) continue;
    let from = 0;
    for (;;) {
      const at = lines[i].indexOf(token, from);
      if (at < 0) break;
      if (seen++ === (opts.occurrence ?? 0)) return { line: i + 1, column: at + 1 + (opts.offset ?? 0) };
      from = at + 1;
    }
  }
  throw new Error(`"${token}" (occurrence ${opts.occurrence ?? 0}${opts.line ? ` on line ${opts.line}` : ''}) not found`);
}

export class Workbench {
  readonly page: Page;
  private shots = 0;

  private constructor(
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly name: string,
  ) {
    this.page = browser.page;
  }

  /** code-server + Chromium + the workbench on the workspace copy, ready to type in. */
  static async start(opts: ServerOptions & { width?: number; height?: number }): Promise<Workbench> {
    const server = await startCodeServer({ installExtension: true, outputDir: `ui/${slug(opts.name)}`, ...opts });
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser(server, opts);
      const wb = new Workbench(server, browser, opts.name);
      await browser.page.goto(server.url());
      await wb.waitForReady();
      return wb;
    } catch (e) {
      server.keepLogs();
      await browser?.close();
      await server.stop();
      throw e;
    }
  }

  /** Stops the browser and the server; keeps logs (and a screenshot) in test-output/<name>/ when `failed`. */
  async close(failed = false): Promise<void> {
    if (failed) {
      await this.screenshot('at-close').catch(() => undefined);
      this.server.keepLogs();
    }
    await this.browser.close();
    await this.server.stop();
  }

  // ---------------------------------------------------------------------------------------------- workbench

  async waitForReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
    // The explorer lists the workspace once the remote file system answers.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    await this.dismissNotifications();
  }

  /** Closes toasts (they cover the bottom-right corner of screenshots). */
  async dismissNotifications(): Promise<void> {
    const toasts = this.page.locator('.notification-toast-container .codicon-notifications-clear, .notification-toast .codicon-close');
    for (const t of await toasts.all()) await t.click({ timeout: 1000 }).catch(() => undefined);
  }

  /** Runs a command from the palette (F1) by its title, e.g. "MixVarGENet: Show Network Summary". */
  async command(title: string): Promise<void> {
    // Right after start the palette may not list an extension's commands yet (the remote extension host is still
    // registering them): reopen it until the row shows, up to 40 s.
    const deadline = Date.now() + 40_000;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 5_000 });
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await this.page.keyboard.press('Escape');
        continue;
      }
      await row.click();
      return;
    }
  }

  /** Absolute path of a workspace file (the temp copy). */
  file(rel: string): string {
    return path.join(this.server.workspace, ...rel.split('/'));
  }

  /** The file as saved on disk in the workspace copy. */
  readFile(rel: string): string {
    return fs.readFileSync(this.file(rel), 'utf8');
  }

  // ---------------------------------------------------------------------------------------------- editor

  /** Opens a workspace file with Ctrl+P, as a person does, and waits for its editor to have focus. */
  async openFile(rel: string): Promise<void> {
    const base = path.posix.basename(rel);
    await this.page.keyboard.press(`${MOD}+P`);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(rel);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first();
    // File search (ripgrep on the server) can be slow on a busy 2-core machine.
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab.active`, { hasText: base }).waitFor({ state: 'visible', timeout: 15_000 });
    await this.editor().locator('.view-lines').waitFor({ state: 'visible' });
    await until(`${rel} has focus`, async () => this.editor().locator('textarea.inputarea, .native-edit-context').first().evaluate((e) => e.ownerDocument.activeElement === e || e.contains(e.ownerDocument.activeElement)), 10_000);
  }

  /** The active editor's root element. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Moves the cursor with Ctrl+G "line:column". */
  async goto(pos: Position): Promise<void> {
    await this.page.keyboard.press(`${MOD}+G`);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${pos.line}:${pos.column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await until(`cursor at ${pos.line}:${pos.column}`, async () => {
      const s = await this.cursorStatus();
      return s && s.line === pos.line && s.column === pos.column;
    }, 5000);
  }

  /** The cursor position the status bar shows ("Ln 12, Col 5"). */
  async cursorStatus(): Promise<Position | undefined> {
    const text = await this.page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText({ timeout: 2000 });
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  }

  /** Types text at the cursor (character by character, as a person does: completion and auto-closing react). */
  async type(text: string, delay = 20): Promise<void> {
    await this.page.keyboard.type(text, { delay });
  }

  async save(): Promise<void> {
    await this.page.keyboard.press(`${MOD}+S`);
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  /** The rendered text of the lines on screen, by line number (spaces normalised). */
  async visibleLines(): Promise<Map<number, string>> {
    const rows = await this.editor().evaluate((ed) => {
      const tops = new Map<number, number>();
      for (const n of ed.querySelectorAll<HTMLElement>('.margin-view-overlays .line-numbers')) {
        const top = (n.closest('[style*="top"]') as HTMLElement | null)?.style.top ?? n.parentElement?.style.top ?? '';
        const num = Number(n.textContent?.trim());
        if (num) tops.set(parseFloat(top), num);
      }
      const out: [number, string][] = [];
      for (const l of ed.querySelectorAll<HTMLElement>('.view-lines .view-line')) {
        const num = tops.get(parseFloat(l.style.top));
        if (num) out.push([num, (l.textContent ?? '').replace(/\u00a0/g, ' ')]);
      }
      return out;
    });
    return new Map(rows);
  }

  /** The whole text of the active editor as rendered, scrolling page by page (restores nothing: moves the cursor). */
  async editorText(): Promise<string> {
    await this.editor().click({ position: { x: 200, y: 10 } }).catch(() => undefined);
    await this.page.keyboard.press(`${MOD}+Home`);
    const all = new Map<number, string>();
    let lastMax = -1;
    for (let i = 0; i < 200; i++) {
      await sleep(100);
      for (const [n, t] of await this.visibleLines()) all.set(n, t);
      const max = Math.max(...all.keys());
      if (max === lastMax) break;
      lastMax = max;
      await this.page.keyboard.press('PageDown');
    }
    const n = Math.max(...all.keys());
    return Array.from({ length: n }, (_, i) => all.get(i + 1) ?? '').join('\n');
  }

  // ---------------------------------------------------------------------------------------------- Problems

  /** Opens the Problems panel (Ctrl+Shift+M) and reads its marker rows (file rows are skipped). */
  async problems(opts: { source?: string; wait?: (rows: ProblemRow[]) => boolean; timeoutMs?: number } = {}): Promise<ProblemRow[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press(`${MOD}+Shift+M`);
      await panel.waitFor({ state: 'visible' });
    }
    const read = async (): Promise<ProblemRow[]> => {
      const rows = await panel.locator('.monaco-list-row').evaluateAll((els) => {
        const out: { text: string; ariaLabel: string; message: string; source: string; code: string; codeLink: string; position: string; icon: string; related: string[] }[] = [];
        const sorted = [...els].sort((x, y) => Number(x.getAttribute('data-index')) - Number(y.getAttribute('data-index')));
        for (const e of sorted) {
          const t = (sel: string) => ((e.querySelector(sel) as HTMLElement | null)?.innerText ?? '').trim();
          const text = ((e as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim();
          if (e.querySelector('.marker-icon')) {
            out.push({
              text,
              ariaLabel: e.getAttribute('aria-label') ?? '',
              message: t('.marker-message'),
              source: t('.marker-source'),
              code: t('.marker-code'),
              codeLink: e.querySelector('.marker-code')?.closest('a')?.getAttribute('href') ?? '',
              position: t('.marker-line'),
              icon: e.querySelector('.marker-icon')?.className ?? '',
              related: [],
            });
          } else if (out.length && !e.querySelector('.monaco-icon-label.file-icon, .resource-label-container')) {
            // A related-information row under the marker above it.
            out[out.length - 1].related.push(text);
          }
        }
        return out;
      });
      return rows
        .map((r) => {
          const p = parseProblem(r.text, r.ariaLabel, r.icon);
          const pos = /Ln (\d+), Col (\d+)/.exec(r.position);
          return {
            ...p,
            message: r.message || p.message,
            source: r.source || p.source,
            code: r.code || p.code,
            codeLink: r.codeLink || undefined,
            related: r.related,
            line: pos ? Number(pos[1]) : p.line,
            column: pos ? Number(pos[2]) : p.column,
          };
        })
        .filter((r) => !opts.source || r.source === opts.source);
    };
    // The tree is virtualised: scroll through it (wheel over the list) to collect every row, then back to the top.
    const readAll = async (): Promise<ProblemRow[]> => {
      const all = new Map<string, ProblemRow>();
      const list = panel.locator('.monaco-list').first();
      const box = await list.boundingBox();
      for (let i = 0; i < 50; i++) {
        const before = all.size;
        for (const r of await read()) all.set(`${r.ariaLabel}|${r.text}`, r);
        if (!box || (i > 0 && all.size === before)) break;
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await this.page.mouse.wheel(0, Math.max(44, box.height - 44));
        await sleep(100);
      }
      if (box && all.size) await this.page.mouse.wheel(0, -100_000);
      await this.page.mouse.move(2, 2); // away from the rows: their own hovers would cover screenshots
      return [...all.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    };
    // Rows merged while scrolling can mix two moments of a panel that is still updating (e.g. mid-typing):
    // accept a reading only when two in a row agree.
    let previous = '';
    const stable = async (): Promise<ProblemRow[] | undefined> => {
      const rows = await readAll();
      const key = JSON.stringify(rows.map((r) => [r.code, r.line, r.column, r.message]));
      const same = key === previous;
      previous = key;
      return same ? rows : undefined;
    };
    const wait = opts.wait ?? (() => true);
    return until('Problems rows', async () => {
      const rows = await stable();
      return rows && wait(rows) ? rows : undefined;
    }, opts.timeoutMs ?? 20_000);
  }

  // ---------------------------------------------------------------------------------------------- hover

  /** Moves the mouse over the character at `pos` and returns the hover's text once it shows (retrying). */
  async hover(pos: Position, opts: { contains?: string | RegExp; timeoutMs?: number } = {}): Promise<string> {
    const hover = this.page.locator('.monaco-hover:not(.hidden)').filter({ visible: true }).first();
    return until(`a hover at ${pos.line}:${pos.column}`, async () => {
      await this.page.mouse.move(5, 5); // off the token first: a hover shows on a move onto it
      await this.page.keyboard.press('Escape');
      await this.goto(pos);
      const box = await this.cursorBox();
      await this.page.mouse.move(box.x + box.charWidth * 0.6, box.y + box.height / 2, { steps: 3 });
      await hover.waitFor({ state: 'visible', timeout: 3000 });
      await sleep(300); // let its content settle (it may grow as providers answer)
      const text = (await hover.innerText()).trim();
      if (opts.contains && !(typeof opts.contains === 'string' ? text.includes(opts.contains) : opts.contains.test(text))) return undefined;
      return text;
    }, opts.timeoutMs ?? 20_000, 300);
  }

  /** Where the cursor is drawn, and the width of one character there. */
  private async cursorBox(): Promise<{ x: number; y: number; height: number; charWidth: number }> {
    const cursor = this.editor().locator('.cursors-layer .cursor').first();
    const box = await until('the cursor box', async () => cursor.boundingBox(), 5000);
    const charWidth = await this.editor().evaluate((ed) => {
      const line = ed.querySelector<HTMLElement>('.view-lines .view-line');
      const span = line?.querySelector('span span');
      const text = span?.textContent ?? '';
      return span && text.length ? (span as HTMLElement).getBoundingClientRect().width / text.length : 8;
    });
    return { x: box.x, y: box.y, height: box.height, charWidth };
  }

  // ---------------------------------------------------------------------------------------------- completion

  /**
   * Puts the cursor at `pos` (if given), types `typed` (if given), triggers completion with Ctrl+Space and reads the
   * suggest widget's rows once some show (up to the ones rendered: the widget is virtualised).
   */
  async complete(opts: { at?: Position; typed?: string; expect?: (rows: SuggestRow[]) => boolean; timeoutMs?: number } = {}): Promise<SuggestRow[]> {
    if (opts.at) await this.goto(opts.at);
    if (opts.typed) await this.type(opts.typed);
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    return until('suggestions', async () => {
      if (!(await widget.isVisible())) {
        await this.page.keyboard.press(`${MOD}+Space`);
        await widget.waitFor({ state: 'visible', timeout: 3000 });
      }
      await sleep(200);
      const rows = await this.suggestRows();
      if (!rows.length || (opts.expect && !opts.expect(rows))) {
        await this.page.keyboard.press('Escape');
        return undefined;
      }
      return rows;
    }, opts.timeoutMs ?? 20_000, 300);
  }

  async suggestRows(): Promise<SuggestRow[]> {
    return this.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').evaluateAll((els) =>
      els.map((e) => ({
        label: (e.querySelector('.label-name')?.textContent ?? '').trim(),
        detail: [(e.querySelector('.details-label')?.textContent ?? '').trim(), (e.querySelector('.label-description')?.textContent ?? '').trim()].filter(Boolean).join(' '),
        ariaLabel: e.getAttribute('aria-label') ?? '',
      })),
    );
  }

  // ---------------------------------------------------------------------------------------------- quick fix

  /** Ctrl+. at `pos`, waits for the code-action menu, picks the entry whose text matches `title`. */
  async quickFix(pos: Position, title: string | RegExp): Promise<string[]> {
    const menu = this.page.locator('.action-widget');
    const entries = await until(`quick fixes at ${pos.line}:${pos.column}`, async () => {
      await this.page.keyboard.press('Escape');
      await this.goto(pos);
      await this.page.keyboard.press(`${MOD}+.`);
      await menu.locator('.monaco-list-row.action').first().waitFor({ state: 'visible', timeout: 3000 });
      const texts = (await menu.locator('.monaco-list-row.action').allInnerTexts()).map((t) => t.trim());
      return texts.some((t) => (typeof title === 'string' ? t.includes(title) : title.test(t))) ? texts : undefined;
    }, 20_000, 300);
    // Pick it with the keyboard (a pointer-block layer sits over the menu while it opens).
    const matches = (t: string) => (typeof title === 'string' ? t.includes(title) : title.test(t));
    for (let i = 0; i <= entries.length + 1; i++) {
      const focused = (await menu.locator('.monaco-list-row.action.focused').first().getAttribute('aria-label').catch(() => '')) ?? '';
      if (matches(focused)) break;
      await this.page.keyboard.press('ArrowDown');
      await sleep(50);
    }
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    return entries;
  }

  // ---------------------------------------------------------------------------------------------- look

  /** Switches the colour theme as a person does: F1 "Preferences: Color Theme", pick by name (e.g. 'Default Light Modern'). */
  async setTheme(theme: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.command('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await until('the theme picker', async () => (await input.getAttribute('placeholder'))?.match(/theme/i) ?? (await input.getAttribute('aria-label'))?.match(/theme/i), 10_000);
    await input.fill(theme);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
    const light = /light/i.test(theme);
    await until(`theme ${theme}`, async () => this.page.locator(`.monaco-workbench.${light ? 'vs' : 'vs-dark'}`).count(), 15_000);
    await sleep(300);
  }

  /** Saves a PNG of the whole window to test-output/ui/<suite>/NN-<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(outputDir('ui', slug(this.name)), `${String(++this.shots).padStart(2, '0')}-${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

export function parseProblem(text: string, ariaLabel: string, severityClass = ''): ProblemRow {
  // The row reads "message source code [Ln 46, Col 31]" (the code is a link when the rule has docs) or
  // "message source(code) [Ln 46, Col 31]"; its aria-label: "Error: message at line 46 and character 31. generated by source".
  const pos = /\[Ln (\d+), Col (\d+)\]\s*$/.exec(text) ?? /at line (\d+) and character (\d+)/.exec(ariaLabel);
  const source = /generated by (\S+?)\.?$/.exec(ariaLabel)?.[1];
  const sevWord = /^(Error|Warning|Info|Hint)\b/i.exec(ariaLabel)?.[1] ?? severityClass;
  const severity = /error/i.test(sevWord) ? 'error' : /warning/i.test(sevWord) ? 'warning' : /info/i.test(sevWord) ? 'info' : /hint/i.test(sevWord) ? 'hint' : undefined;
  let rest = text.replace(/\s*\[Ln \d+, Col \d+\]\s*$/, '');
  let code: string | undefined;
  if (source) {
    const esc = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`\\s*${esc}(?:\\(([^)]*)\\)|\\s+(\\S+))?\\s*$`).exec(rest);
    if (m) {
      code = m[1] ?? m[2];
      rest = rest.slice(0, m.index);
    }
  }
  const fromAria = /^(?:Error|Warning|Info|Hint):\s*([\s\S]*?) at line \d+ and character \d+/i.exec(ariaLabel)?.[1];
  return {
    text,
    ariaLabel,
    message: (fromAria ?? rest).trim(),
    source,
    code,
    line: pos ? Number(pos[1]) : undefined,
    column: pos ? Number(pos[2]) : undefined,
    severity,
  };
}
