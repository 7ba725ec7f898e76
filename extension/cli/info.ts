/** `mvg info FILE`: the network the config builds, stage by stage, with its cost. */
import { analyze, type Analysis } from '../core/analyze';
import { allConvs, type Network, type Shape, type Stage } from '../core/model';
import { fmtCountLong, fmtMacsLong, fmtPercent, fmtShape, thousands } from '../core/format';
import { type FlagSpec, flagSet, parseArgs } from './args';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readText, reason } from './files';
import { type CliIO, EXIT_OK, InputError, UsageError } from './io';
import { ANALYSIS_FLAGS, analysisSetup } from './options';
import { type Colours, coloursFor, prettyJson, table } from './format';
import { countSeverities, hasConfig, stripBom, summarizeCounts } from './lint';
import type { Target } from '../core/extract';

export const INFO_FLAGS: FlagSpec[] = [{ name: 'json' }, ...ANALYSIS_FLAGS, { name: 'help', short: 'h' }];

export interface FusionInJson {
  /** Stage whose output was downsampled. */
  fromStage: number;
  /** 2, 4 or 8: times downsampled by 2. */
  scale: number;
  channels: number;
  shape: Shape | null;
  /** The fusion_strides entry matched to this map by position, if any. */
  fusionStride: number | null;
}

export interface StageJson {
  index: number;
  /** The config's stride (1 or 2). */
  stride: number | null;
  /** Input-to-output stride after this stage. */
  outputStride: number | null;
  inChannels: number | null;
  outChannels: number | null;
  headOp: string | null;
  stackOps: string[];
  stackFactor: number | null;
  fusionStrides: (number | null)[];
  params: number | null;
  macs: number | null;
  /** Share of the network's MACs, 0..1. */
  macsShare: number | null;
  inputShape: Shape | null;
  outputShape: Shape | null;
  activationElems: number | null;
  /** Maps the head receives after x (positional routing); empty when a plain tensor arrives. */
  fusionIn: FusionInJson[];
  /** extra_downsample_num. */
  downsamples: number | null;
  downsampleShapes: (Shape | null)[];
  unknown: string[];
}

export interface InfoJson {
  file: string;
  inputShape: [number, number, number, number];
  inputSource: 'deploy_inputs' | 'data_shape' | 'default';
  inputLine: number | null;
  target: Target;
  targetSource: 'march' | '--target' | 'default';
  march: string | null;
  marchLine: number | null;
  params: number | null;
  macs: number | null;
  exact: boolean;
  knownParams: number;
  knownMacs: number;
  stem: { inChannels: number; outChannels: number; params: number | null; macs: number | null; outputShape: Shape | null } | null;
  stages: StageJson[];
  head: {
    inChannels: number;
    fcFilter: number;
    numClasses: number | null;
    params: number | null;
    macs: number | null;
    outputShape: Shape | null;
    rowsPerImage: number | null;
  } | null;
  /** Without the classifier head: the stages whose outputs the backbone returns. */
  outputs: number[];
  /** Why some figures are unknown (`?`). */
  unknown: string[];
  findings: { errors: number; warnings: number; infos: number; hints: number };
  /** Set when there is no network to describe. */
  note?: string;
}

function shareOf(part: number | null, total: number | null): number | null {
  return part === null || total === null || total === 0 ? null : part / total;
}

/** Why figures are unknown: unknown values, convs nn.Conv2d would refuse, the head's pool. */
function unknownReasons(net: Network): string[] {
  const out: string[] = [];
  const add = (s: string) => {
    if (!out.includes(s)) out.push(s);
  };
  for (const a of net.args.unknownArgs) add(`backbone argument ${a} cannot be known`);
  if (!net.stem) add('the stem width (stage 0 in_channels) is unknown');
  for (const s of net.stages) for (const u of s.unknown) add(`stage ${s.index}: ${u}`);
  // Convs nn.Conv2d would refuse, grouped by the reason (a stack of identical blocks fails alike).
  const byProblem = new Map<string, string[]>();
  for (const c of allConvs(net)) if (c.problem) byProblem.set(c.problem, [...(byProblem.get(c.problem) ?? []), c.id]);
  for (const [problem, ids] of byProblem) add(`${ids[0]}${ids.length > 1 ? ` and ${ids.length - 1} more` : ''}: ${problem}`);
  if (net.head?.pool.problem) add(`head: ${net.head.pool.problem}`);
  if (net.args.includeTop && net.args.numClasses === null && !net.args.unknownArgs.includes('num_classes')) add('num_classes is missing');
  if (!net.routingKnown) add('the fusion routing cannot be followed past a stage whose extra_downsample_num is unknown');
  return out;
}

function stageJson(s: Stage, net: Network): StageJson {
  const head = s.blocks[0];
  const fs = s.fusionStrides;
  return {
    index: s.index,
    stride: s.stride,
    outputStride: s.outputStride,
    inChannels: s.inChannels,
    outChannels: s.outChannels,
    headOp: s.headOp,
    stackOps: s.stackOps,
    stackFactor: s.stackFactor,
    fusionStrides: fs,
    params: s.params,
    macs: s.macs,
    macsShare: shareOf(s.macs, net.macs),
    inputShape: s.inShape,
    outputShape: s.outShape,
    activationElems: s.activationElems,
    fusionIn: (s.received ?? []).map((m, j) => ({
      fromStage: m.fromStage,
      scale: m.scale,
      channels: m.channels,
      shape: m.shape,
      fusionStride: head && head.fusion.length === (s.received ?? []).length ? (fs[j] ?? null) : null,
    })),
    downsamples: s.extraDownsampleNum,
    downsampleShapes: s.downsamples.map((d) => d.outShape),
    unknown: s.unknown,
  };
}

export function infoJson(file: string, a: Analysis, targetFlag?: Target): InfoJson {
  const net = a.network;
  const ex = a.extracted;
  const n = countSeverities(a.findings);
  const base: InfoJson = {
    file,
    inputShape: ex.input.shape,
    inputSource: ex.input.source,
    inputLine: ex.input.range ? a.lines.positionAt(ex.input.range.start).line + 1 : null,
    target: a.target,
    targetSource: ex.marchTarget ? 'march' : targetFlag ? '--target' : 'default',
    march: ex.march ? a.text.slice(ex.march.range.start, ex.march.range.end) : null,
    marchLine: ex.march ? a.lines.positionAt(ex.march.range.start).line + 1 : null,
    params: null,
    macs: null,
    exact: false,
    knownParams: 0,
    knownMacs: 0,
    stem: null,
    stages: [],
    head: null,
    outputs: [],
    unknown: [],
    findings: { errors: n.error, warnings: n.warning, infos: n.info, hints: n.hint },
  };
  if (!hasConfig(a)) return { ...base, note: 'no MixVarGENetConfig found; nothing to describe' };
  if (!net) {
    const why = !ex.netConfig
      ? 'no net_config (a list of [MixVarGENetConfig(...)] stages) was found'
      : 'net_config has no stages that can be known';
    return { ...base, unknown: [why], note: why };
  }
  return {
    ...base,
    params: net.params,
    macs: net.macs,
    exact: net.exact,
    knownParams: net.knownParams,
    knownMacs: net.knownMacs,
    stem: net.stem ? { inChannels: net.stem.cin, outChannels: net.stem.cout, params: net.stem.params, macs: net.stem.macs, outputShape: net.stem.outShape } : null,
    stages: net.stages.map((s) => stageJson(s, net)),
    head: net.head
      ? {
          inChannels: net.head.fc.cin,
          fcFilter: net.head.fc.cout,
          numClasses: net.args.numClasses,
          params: net.head.params,
          macs: net.head.macs,
          outputShape: net.head.cls.outShape,
          rowsPerImage: net.head.rowsPerImage,
        }
      : null,
    outputs: net.outputs,
    unknown: unknownReasons(net),
  };
}

/** ["a","a","a","b"] → "a ×3, b". */
export function compressOps(ops: (string | null)[]): string {
  const runs: [string, number][] = [];
  for (const o of ops) {
    const name = o ?? '?';
    const last = runs[runs.length - 1];
    if (last && last[0] === name) last[1]++;
    else runs.push([name, 1]);
  }
  return runs.map(([name, k]) => (k > 1 ? `${name} ×${k}` : name)).join(', ');
}

const q = (n: number | null | undefined) => (n === null || n === undefined ? '?' : String(n));
const num = (n: number | null | undefined) => (n === null || n === undefined ? '?' : thousands(n));

function fusionText(s: StageJson, declared: number): string {
  if (s.fusionIn.length === 0) return declared > 0 ? `nothing (${declared} declared)` : '-';
  const maps = s.fusionIn.map((m) => `←s${m.fromStage} ${m.scale}x`).join(', ');
  if (declared === 0) return `${maps} (not fused)`;
  if (declared !== s.fusionIn.length) return `${maps} (${declared} declared)`;
  return maps;
}

export function formatInfo(info: InfoJson, c: Colours): string {
  const out: string[] = [c.bold(info.file)];
  const inputWhere =
    info.inputSource === 'default'
      ? 'default: the file has no deploy_inputs'
      : `from ${info.inputSource}${info.inputLine !== null ? `, line ${info.inputLine}` : ''}`;
  out.push(`  input   ${fmtShape(info.inputShape)} (${inputWhere})`);
  const targetWhere = info.targetSource === 'march' ? `from march = ${info.march}${info.marchLine !== null ? `, line ${info.marchLine}` : ''}` : info.targetSource === '--target' ? 'from --target' : 'default; the file sets no march';
  out.push(`  target  ${info.target} (${targetWhere})`);
  if (info.note) {
    out.push('', `${c.dim('note:')} ${info.file}: ${info.note}`);
    return out.join('\n') + '\n';
  }
  out.push('');
  const rows: (string[] | null)[] = [];
  const total = info.macs;
  if (info.stem || info.stages.length) {
    const st = info.stem;
    rows.push([
      'stem',
      '2',
      st ? `${st.inChannels}→${st.outChannels}` : '?',
      st ? fmtShape(st.outputShape) : '?',
      num(st?.params),
      num(st?.macs),
      fmtPercent(st?.macs ?? null, total),
      'conv 3x3 s2',
      '-',
      '-',
    ]);
  }
  for (const s of info.stages) {
    const ops = compressOps([s.headOp, ...s.stackOps]) + (s.stackFactor !== null && s.stackFactor > 1 && s.stackOps.length >= 2 ? ` (stack_factor ${s.stackFactor})` : '');
    rows.push([
      String(s.index),
      q(s.outputStride),
      `${q(s.inChannels)}→${q(s.outChannels)}`,
      fmtShape(s.outputShape),
      num(s.params),
      num(s.macs),
      fmtPercent(s.macs, total),
      ops,
      fusionText(s, s.fusionStrides.length),
      s.downsamples === null ? '?' : s.downsamples === 0 ? '-' : String(s.downsamples),
    ]);
  }
  const h = info.head;
  if (h) {
    const outShape = h.outputShape ? (h.rowsPerImage === 1 ? String(h.outputShape[0]) : fmtShape(h.outputShape)) : '?';
    rows.push([
      'head',
      '-',
      `${h.inChannels}→${q(h.numClasses)}`,
      outShape,
      num(h.params),
      num(h.macs),
      fmtPercent(h.macs, total),
      `fc 1x1→${h.fcFilter}, avgpool 7, cls 1x1→${q(h.numClasses)}`,
      '-',
      '-',
    ]);
  }
  rows.push(null);
  rows.push(['total', '', '', '', num(info.params), num(info.macs), info.macs !== null ? '100%' : '?', '', '', '']);
  out.push(
    table(
      [
        { header: 'stage' },
        { header: 'stride', align: 'right' },
        { header: 'channels' },
        { header: 'output' },
        { header: 'params', align: 'right' },
        { header: 'MACs', align: 'right' },
        { header: 'share', align: 'right' },
        { header: 'ops' },
        { header: 'fusion in' },
        { header: 'downsamples' },
      ],
      rows,
      c,
    ).replace(/\n$/, ''),
  );
  out.push('');
  const known = (v: number | null, k: number, f: (n: number) => string) => (v !== null ? f(v) : `? (at least ${thousands(k)})`);
  out.push(`  params  ${known(info.params, info.knownParams, (n) => fmtCountLong(n))}`);
  out.push(`  MACs    ${known(info.macs, info.knownMacs, (n) => fmtMacsLong(n))} per ${fmtShape(info.inputShape.slice(2))} image`);
  if (!h) {
    out.push(`  head    none (include_top=False): the backbone returns stage${info.outputs.length === 1 ? '' : 's'} ${info.outputs.join(', ') || '?'}`);
  } else if (h.rowsPerImage !== null && h.rowsPerImage !== 1) {
    out.push(`  head    view(-1, num_classes) makes ${h.rowsPerImage} rows per image (the final map is not 7x7)`);
  }
  const f = info.findings;
  const lintLine = summarizeCounts({ error: f.errors, warning: f.warnings, info: f.infos, hint: f.hints });
  out.push(`  lint    ${f.errors > 0 ? c.red(lintLine) : lintLine}${f.errors + f.warnings + f.infos + f.hints > 0 ? ` (mvg lint ${info.file})` : ''}`);
  if (info.unknown.length) {
    out.push('', `${c.yellow('?')} marks figures that cannot be computed:`);
    for (const u of info.unknown) out.push(`  - ${u}`);
  }
  return out.join('\n') + '\n';
}

export function infoCommand(args: string[], io: CliIO): number {
  const p = parseArgs(args, INFO_FLAGS, 'info');
  if (flagSet(p, 'help')) {
    io.stdout(INFO_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length === 0) throw new UsageError('no file given', 'info');
  if (p.positionals.length > 1) throw new UsageError(`info takes one file, got ${p.positionals.length}`, 'info');
  const setup = analysisSetup(p, io.cwd, 'info');
  for (const w of setup.opsWarnings) io.stderr(`mvg: warning: ${w} (skipped)\n`);
  const arg = p.positionals[0];
  const file = { display: arg, abs: path.resolve(io.cwd, arg) };
  let isDir: boolean;
  try {
    isDir = fs.statSync(file.abs).isDirectory();
  } catch (e) {
    throw new InputError(`cannot read ${arg}: ${reason(e)}`);
  }
  if (isDir) throw new UsageError(`info takes a file, not a directory: ${arg}`, 'info');
  const a = analyze(stripBom(readText(file)), setup.options);
  const info = infoJson(file.display, a, setup.targetFlag);
  if (flagSet(p, 'json')) io.stdout(prettyJson(info) + '\n');
  else io.stdout(formatInfo(info, coloursFor(io)));
  return EXIT_OK;
}

export const INFO_HELP = `Usage: mvg info FILE [options]

Print the network a MixVarGENet config builds: per stage the output stride,
channels, output shape, parameters, MACs and their share, ops, the fusion maps
its head receives and its downsamples; then the stem, the head and the totals.

Options:
  --json             print JSON instead of the table
  --ops FILE         extra op table (JSON shaped like schemas/ops.json)
  --target J5|any    target when the file sets no march (default J5)
  --no-hints         leave out J5 design hints from the findings count
  --disable CODE,... skip rules in the findings count
  -h, --help         show this help
`;
