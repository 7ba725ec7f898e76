// One code-server (a real VS Code 1.100.3) per test run: its own HOME/XDG/TMPDIR, user-data and extensions dirs,
// bound to 127.0.0.1 on a free port with auth off, a deterministic settings.json, and a temp copy of examples/
// as the workspace (tests edit files). Stopped as a whole process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER, EXAMPLES, ROOT, outputDir, slug } from './paths';

export interface ServerOptions {
  /** Names the run's temp folder and its test-output folder. */
  name: string;
  /** Folder under test-output/ for logs kept on failure (default: the name). */
  outputDir?: string;
  /** Folder copied as the workspace (default: examples/). */
  workspaceSource?: string;
  /** workbench.colorTheme, e.g. 'Default Light Modern' or 'Default Dark Modern' (the default). */
  theme?: string;
  /** Extra user settings, merged over the deterministic defaults. */
  settings?: Record<string, unknown>;
  /** false starts without --disable-workspace-trust and with trust enabled: the workspace opens in Restricted Mode. */
  trust?: boolean;
  /** Install the built extension into the extensions dir (UI tests). Extension-host tests load it from the repo instead. */
  installExtension?: boolean;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
}

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'editor.hover.delay': 100,
  'editor.hover.sticky': true,
  'editor.quickSuggestionsDelay': 10,
  'editor.minimap.enabled': false,
  'editor.accessibilitySupport': 'off',
  'editor.cursorBlinking': 'solid',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'security.workspace.trust.enabled': false,
};

export interface CodeServer {
  name: string;
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  runDir: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  /** The temp copy of the workspace. */
  workspace: string;
  serverLog: string;
  proc: ChildProcess;
  /** URL that opens the workspace, optionally with a payload (extensionDevelopmentPath, extensionTestsPath, ...). */
  url(payload?: [string, string][]): string;
  /** vscode-remote://127.0.0.1:PORT/<abs path>: how the browser names a file on the server. */
  remoteUri(absPath: string): string;
  /** Rewrites user settings.json (read at the next window load; use the UI to change settings live). */
  writeSettings(extra: Record<string, unknown>): void;
  /** Copies the logs (server, browser, extension host) into test-output/<name>/. */
  keepLogs(): string;
  stop(opts?: { keepRunDir?: boolean }): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) killGroup(p, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const p of live) killGroup(p, 'SIGKILL');
    process.exit(130);
  });
}

function killGroup(p: ChildProcess, sig: NodeJS.Signals): void {
  if (p.pid === undefined) return;
  try {
    process.kill(-p.pid, sig);
  } catch {
    try {
      p.kill(sig);
    } catch {
      /* gone */
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The extension as a user gets it: an installed .vsix (MVG_TEST_VSIX) or a copy of the built folder. */
function installExtension(extensionsDir: string, env: NodeJS.ProcessEnv, log: string): void {
  const src = path.resolve(process.env.MVG_EXTENSION_PATH ?? ROOT);
  const pkg = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  const vsix = process.env.MVG_TEST_VSIX;
  if (vsix) {
    const r = spawnSync(CODE_SERVER, ['--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsix)], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    fs.appendFileSync(log, `--install-extension ${vsix}\n${r.stdout}\n${r.stderr}\n`);
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}): ${r.stderr || r.stdout}`);
    return;
  }
  if (!fs.existsSync(path.join(src, pkg.main ?? 'dist/extension.js'))) {
    throw new Error(`the extension is not built (${pkg.main} missing): run npm run build`);
  }
  const dest = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.mkdirSync(dest, { recursive: true });
  // Everything a packaged extension carries; sources, tests and dev folders stay out.
  const skip = new Set(['.git', 'node_modules', 'out', 'test', 'test-output', '.vscode-server-data', '.vscode-test', '.ci', 'scripts', 'extension', 'bin']);
  for (const entry of fs.readdirSync(src)) {
    if (skip.has(entry) || entry.endsWith('.vsix')) continue;
    fs.cpSync(path.join(src, entry), path.join(dest, entry), { recursive: true });
  }
  // Runtime dependencies (if the bundle keeps any external) resolve from the repo's node_modules.
  if (pkg.dependencies && Object.keys(pkg.dependencies).length && fs.existsSync(path.join(src, 'node_modules'))) {
    fs.symlinkSync(path.join(src, 'node_modules'), path.join(dest, 'node_modules'));
  }
}

export async function startCodeServer(opts: ServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed: run bash test/vscode/server/install.sh`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `mvg-vscode-${slug(opts.name)}-`));
  const home = path.join(runDir, 'home');
  const tmp = path.join(runDir, 'tmp');
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const workspace = path.join(runDir, 'workspace');
  for (const d of [home, tmp, userDataDir, extensionsDir, path.join(userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(opts.workspaceSource ?? EXAMPLES, workspace, { recursive: true });

  const trust = opts.trust !== false;
  const settingsPath = path.join(userDataDir, 'User', 'settings.json');
  let current: Record<string, unknown> = {
    ...DEFAULT_SETTINGS,
    ...(trust ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }),
    ...(opts.theme ? { 'workbench.colorTheme': opts.theme } : {}),
    ...(opts.settings ?? {}),
  };
  const writeSettings = (extra: Record<string, unknown>) => {
    current = { ...current, ...extra };
    fs.writeFileSync(settingsPath, JSON.stringify(current, null, 2));
  };
  writeSettings({});

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: tmp,
    // Never let a parent VS Code or its extension host leak into this one.
    VSCODE_IPC_HOOK_CLI: '',
    ELECTRON_RUN_AS_NODE: '',
    // No extension marketplace: nothing to look up on this closed network (and no noisy ENOTFOUND in the logs).
    EXTENSIONS_GALLERY: '{}',
    ...(opts.env ?? {}),
  };
  const serverLog = path.join(runDir, 'server.log');
  fs.writeFileSync(serverLog, '');
  if (opts.installExtension) installExtension(extensionsDir, env, serverLog);

  const port = await freePort();
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    workspace,
  ];
  const logFd = fs.openSync(serverLog, 'a');
  const proc = spawn(CODE_SERVER, args, { env, cwd: runDir, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  live.add(proc);
  let exited: number | null = null;
  proc.on('exit', (code) => {
    exited = code ?? -1;
    live.delete(proc);
  });

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await get(`${origin}/healthz`)) !== 200) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was ready:\n${fs.readFileSync(serverLog, 'utf8')}`);
    if (Date.now() > deadline) {
      killGroup(proc, 'SIGKILL');
      throw new Error(`code-server was not ready in 60 s:\n${fs.readFileSync(serverLog, 'utf8')}`);
    }
    await sleep(100);
  }

  const remoteUri = (abs: string) => `vscode-remote://127.0.0.1:${port}${abs.split(path.sep).map(encodeURIComponent).join('/')}`;
  const server: CodeServer = {
    name: opts.name,
    port,
    origin,
    runDir,
    home,
    userDataDir,
    extensionsDir,
    workspace,
    serverLog,
    proc,
    url(payload) {
      let u = `${origin}/?folder=${encodeURIComponent(workspace)}`;
      if (payload?.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    remoteUri,
    writeSettings,
    keepLogs() {
      const dest = outputDir(...(opts.outputDir ?? slug(opts.name)).split('/'), 'logs');
      const copy = (from: string, to: string) => {
        try {
          fs.cpSync(from, path.join(dest, to), { recursive: true });
        } catch {
          /* missing: nothing to keep */
        }
      };
      copy(serverLog, 'server.log');
      copy(path.join(runDir, 'browser.log'), 'browser.log');
      copy(path.join(userDataDir, 'logs'), 'user-data-logs');
      copy(settingsPath, 'settings.json');
      // The extension host's own log, flat, where people look first.
      const logs = path.join(userDataDir, 'logs');
      if (fs.existsSync(logs)) {
        for (const session of fs.readdirSync(logs)) {
          const walk = (d: string): void => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
              const p = path.join(d, e.name);
              if (e.isDirectory()) walk(p);
              else if (e.name === 'remoteexthost.log' || e.name === 'exthost.log') copy(p, `${session}-${e.name}`);
            }
          };
          walk(path.join(logs, session));
        }
      }
      return dest;
    },
    async stop(o) {
      if (exited === null) {
        killGroup(proc, 'SIGTERM');
        const until = Date.now() + 5000;
        while (exited === null && Date.now() < until) await sleep(50);
      }
      // The extension host and other children share the group: end them too, even after the leader is gone.
      killGroup(proc, 'SIGKILL');
      live.delete(proc);
      if (!o?.keepRunDir && !process.env.MVG_KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  return server;
}
