/** Shared helpers for the CLI tests: a capturing run, temp workspaces and independent position arithmetic. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../extension/cli/main';
import { memoryIO } from '../../../extension/cli/io';

/** The repository root (tests run from out/test/unit/cli). */
export const ROOT = path.resolve(__dirname, '../../../..');
export const SEED = path.join(ROOT, 'examples/configs/mixvargenet_imagenet.py');

export interface Ran {
  code: number;
  out: string;
  err: string;
}

export function mvg(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean } = {}): Ran {
  const io = memoryIO({ cwd: opts.cwd ?? ROOT, env: opts.env ?? {}, isTTY: opts.isTTY ?? false });
  const code = run(args, io);
  if (typeof code !== 'number') throw new Error(`mvg ${args[0]} is asynchronous: use mvgAsync`);
  return { code, out: io.out, err: io.err };
}

/** The same for any command, synchronous or not (`perf`). */
export async function mvgAsync(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Ran> {
  const io = memoryIO({ cwd: opts.cwd ?? ROOT, env: opts.env ?? {} });
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

/** A fresh temp directory with the given files (relative path → text). */
export function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvg-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** 1-based line and column of the n-th occurrence of `needle` (plus `skip` characters), counted by hand. */
export function positionOf(text: string, needle: string, skip = 0, occurrence = 0): { line: number; column: number } {
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`'${needle}' not found`);
  }
  const offset = idx + skip;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

export const seedText = (): string => fs.readFileSync(SEED, 'utf8');

/** A two-stage config, valid but for its second stage taking 48 channels after the first outputs 32. */
export const CHAIN_MISTAKE = `import torch; from hat.models.backbones.mixvargenet import MixVarGENetConfig

net_config = [
    [MixVarGENetConfig(in_channels=32, out_channels=32, head_op="mixvarge_f2", stack_ops=[], stack_factor=1, stride=1, fusion_strides=[], extra_downsample_num=0)],
    [MixVarGENetConfig(in_channels=48, out_channels=64, head_op="mixvarge_f4", stack_ops=[], stack_factor=1, stride=2, fusion_strides=[], extra_downsample_num=0)],
]
model = dict(type="Classifier", backbone=dict(type="MixVarGENet", net_config=net_config, num_classes=10, bn_kwargs={}, include_top=False))
deploy_inputs = dict(img=torch.randn((1, 3, 224, 224)))
`;
