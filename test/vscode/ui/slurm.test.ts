// HAT float training as a Slurm job, in the real workbench with the packaged extension, as a person sees it: the task's
// terminal says "Submitted batch job N" at once, then the job's state (RUNNING on node1, node2) and the live log of
// all 8 ranks; the config's task_name line shows the run; at the end the accuracy is inline. A second run is cancelled
// with Ctrl+C in its terminal: scancel, the terminal says CANCELLED. Needs the test cluster (test/slurm/setup.sh):
// locally skipped without it, a failure under CI=true.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireOrSkip } from '../../requires';
import { useWorkbench } from './lib/mocha';
import { EXAMPLES, ROOT } from './lib/paths';
import { until, type Workbench } from './lib/workbench';

const FILE = 'configs/mixvargenet_imagenet.py';

function clusterUp(): boolean {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%N %t'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && new Set(r.stdout.split('\n').filter((l) => /^node[12] (idle|mix|alloc)/.test(l.trim())).map((l) => l.split(' ')[0])).size === 2;
}

/** The visible text of the terminal panel (the DOM renderer: gpuAcceleration is off in this workspace). */
async function terminalText(w: Workbench): Promise<string> {
  const rows = w.page.locator('.terminal-wrapper.active .xterm-rows, .terminal .xterm-rows').last();
  return (await rows.count()) ? (await rows.innerText()).replace(/\u00a0/g, ' ') : '';
}

/**
 * Everything the terminal panel has shown since `reset()`: the DOM renderer holds only the visible rows, and 8 ranks'
 * output scrolls a line like `[slurm] job N: RUNNING on node1, node2` out of view within seconds on a busy machine, so
 * each poll adds what is on screen to what was seen before.
 */
class TerminalSeen {
  private seen = '';
  constructor(private readonly w: Workbench) {}
  reset(): void {
    this.seen = '';
  }
  async text(): Promise<string> {
    this.seen += '\n' + (await terminalText(this.w));
    return this.seen;
  }
}

/** The `after` text the extension decorates the task_name line with. */
async function inline(w: Workbench): Promise<string[]> {
  return w.editor().evaluate((ed) => {
    const out: string[] = [];
    for (const el of ed.querySelectorAll<HTMLElement>('.view-lines .view-line span')) {
      const c = getComputedStyle(el, '::after').content;
      if (c && c !== 'none' && c !== 'normal' && /float|running|job/.test(c)) out.push(c.replace(/^"|"$/g, ''));
    }
    return out;
  });
}

describe('UI: HAT float training as a Slurm job (2 nodes × 4 GPUs)', function () {
  this.timeout(180_000);
  let root: string | undefined;
  const opts: Parameters<typeof useWorkbench>[0] = { name: 'slurm', settings: { 'terminal.integrated.gpuAcceleration': 'off', 'workbench.panel.opensMaximized': 'always' } };

  before(function () {
    requireOrSkip(this, clusterUp(), 'a Slurm test cluster (node1, node2)', 'bash test/slurm/setup.sh (as root)');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-ui-slurm-'));
    const ws = path.join(root, 'ws');
    fs.cpSync(EXAMPLES, ws, { recursive: true });
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'hat-scripts'), path.join(ws, 'scripts'), { recursive: true });
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, '.vscode', 'settings.json'),
      JSON.stringify({
        'mixvargenet.hat.scriptsDir': '${workspaceFolder}/scripts',
        'mixvargenet.hat.python': '/usr/bin/python3',
        'mixvargenet.hat.launcher': 'slurm',
        'mixvargenet.hat.slurm.nodes': 2,
        'mixvargenet.hat.slurm.gpusPerNode': 4,
        'mixvargenet.hat.stages': { float_train: { env: { HAT_DOUBLE_STEPS: '15', HAT_DOUBLE_STEP_SECONDS: '0.5', HAT_DOUBLE_ACCURACY: '0.7132' } } },
      }),
    );
    opts.workspaceSource = ws;
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));
  const wb = useWorkbench(opts);

  it('"Run Float Training": the job id at once, RUNNING on node1, node2, 8 ranks live in the terminal, the accuracy inline', async () => {
    const w = wb();
    await w.openFile(FILE);
    await until('the status-bar summary', async () => (await w.page.locator('.part.statusbar').innerText()).match(/2\.31\s*M/), 30_000);
    // The task's terminal opens the panel maximized (workbench.panel.opensMaximized): more of the live log on screen.
    const term = new TerminalSeen(w);
    await w.command('MixVarGENet: Run Float Training');
    const submitted = await until('"Submitted batch job N" in the terminal', async () => /Submitted batch job (\d+)/.exec(await term.text()), 30_000, 50);
    const id = submitted[1];
    await until('the job RUNNING on both nodes in the terminal', async () => new RegExp(`\\[slurm\\] job ${id}: RUNNING on node1, node2`).test(await term.text()), 60_000, 50);
    // The ranks' launch lines scroll by (all 8 are checked in the extension-host test); one shows world size 8.
    await until('a rank of world size 8 in the terminal', async () => /Launch with rank: \d world_size: 8 hostname: node[12]/.test((await term.text()).replace(/\n/g, '')), 30_000, 50);
    await w.command('View: Toggle Maximized Panel');
    const running = await until('the run on the task_name line', async () => (await inline(w)).find((t) => /float_train running/.test(t)), 30_000);
    assert.match(running, /float_train running/);
    await w.screenshot('float training running as a Slurm job');
    const done = await until('the accuracy inline', async () => (await inline(w)).find((t) => /^float 71\.32%/.test(t)), 90_000);
    assert.match(done, /^float 71\.32%/);
    const text = await terminalText(w);
    assert.match(text, new RegExp(`\\[slurm\\] job ${id}: COMPLETED`));
    assert.match(text, /\[ok, job \d+ COMPLETED on node1, node2, exit code 0/);
    await w.screenshot('float training done, accuracy inline');
  });

  it('Ctrl+C in the terminal cancels the job: scancel, CANCELLED in the terminal and in Slurm', async () => {
    const w = wb();
    await w.dismissNotifications();
    const before = new Set([...(await terminalText(w)).matchAll(/Submitted batch job (\d+)/g)].map((m) => m[1]));
    const term = new TerminalSeen(w);
    await w.command('MixVarGENet: Run Float Training');
    const id = await until('a new job submitted', async () => [...(await term.text()).matchAll(/Submitted batch job (\d+)/g)].map((m) => m[1]).find((j) => !before.has(j)), 30_000, 50);
    await until(`job ${id} RUNNING`, async () => new RegExp(`\\[slurm\\] job ${id}: RUNNING`).test(await term.text()), 60_000, 50);
    await w.page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').last().click();
    await w.page.keyboard.press('Control+C');
    await until('CANCELLED in the terminal', async () => new RegExp(`\\[slurm\\] job ${id}: CANCELLED`).test(await terminalText(w)), 60_000);
    // Had Ctrl+C not reached the run, the job (7.5 s) would have COMPLETED instead.
    assert.equal(/JobState=(\S+)/.exec(spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8' }).stdout)?.[1], 'CANCELLED');
    await w.screenshot('cancelled with Ctrl+C');
  });
});
