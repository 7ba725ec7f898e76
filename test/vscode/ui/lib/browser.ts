// Debian's Chromium driven by playwright-core (never a browser download), with the flags this closed network needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './paths';
import type { CodeServer } from './server';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Browser console and page errors, one line each (also written to <runDir>/browser.log). */
  console: string[];
  close(): Promise<void>;
}

export async function launchBrowser(server: CodeServer, opts: { width?: number; height?: number } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  const profile = path.join(server.runDir, 'chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
    deviceScaleFactor: 1,
    env: { ...process.env, HOME: server.home, TMPDIR: path.join(server.runDir, 'tmp'), XDG_CONFIG_HOME: path.join(server.home, '.config') } as Record<string, string>,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logFile = path.join(server.runDir, 'browser.log');
  const lines: string[] = [];
  const log = (s: string) => {
    lines.push(s);
    fs.appendFileSync(logFile, s + '\n');
  };
  page.on('console', (m) => log(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log(`[pageerror] ${e.stack ?? e.message}`));
  page.on('crash', () => log('[crash] the page crashed'));
  return {
    context,
    page,
    console: lines,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}
