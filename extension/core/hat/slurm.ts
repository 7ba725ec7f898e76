/**
 * HAT on a Slurm cluster (MIXVARGENET.md §7), as pure data and functions: the Slurm options of a run, the plan of
 * its job (the sbatch argv, the job script — every word quoted by `shellQuote`, the one quoting function of generated
 * scripts — and how many processes on how many nodes), and the state of a job read from `scontrol show job -o` or
 * `squeue`. Nothing here runs anything: extension/run/slurm.ts submits the plan and follows the job.
 *
 * The job: `sbatch` (options as argv) runs the script, which `cd`s to HAT's scripts folder and `exec`s one `srun`
 * step. A multi-process stage (float training) gets one task per GPU over every node; each task runs the small
 * launcher shipped with the extension (resources/mvg_slurm_launch.py), which maps SLURM_PROCID→RANK,
 * SLURM_NTASKS→WORLD_SIZE, SLURM_LOCALID→LOCAL_RANK, the first host of SLURM_JOB_NODELIST→MASTER_ADDR and a
 * MASTER_PORT, then execs HAT's command (argv) with `--launcher torch`. Calibration (HAT's Calibrator uses one
 * process) and the predict, compile and other stages run as one task.
 */
import { buildCommand, type BuildInput, shellQuote, type StageSpec } from './stages';

export type Launcher = 'local' | 'slurm';

export interface SlurmOptions {
  nodes: number;
  gpusPerNode: number;
  partition?: string;
  account?: string;
  qos?: string;
  /** sbatch --time (e.g. "1-00:00:00", "90"). */
  time?: string;
  constraint?: string;
  /** Extra sbatch arguments, each one argument (no shell). */
  sbatchArgs: string[];
  /** Environment set for the job (exported to every task). */
  env: Record<string, string>;
}

export const DEFAULT_SLURM: SlurmOptions = { nodes: 1, gpusPerNode: 8, sbatchArgs: [], env: {} };

/** Most nodes / GPUs per node a setting may ask for. */
export const MAX_NODES = 4096;
export const MAX_GPUS_PER_NODE = 64;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Keep the well-typed fields of a settings object (over `base`); the rest are dropped. */
export function sanitizeSlurmOptions(raw: unknown, base: SlurmOptions = DEFAULT_SLURM): SlurmOptions {
  const o: SlurmOptions = { ...base, sbatchArgs: [...base.sbatchArgs], env: { ...base.env } };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return o;
  const r = raw as Record<string, unknown>;
  const int = (v: unknown, min: number, max: number) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
  o.nodes = int(r.nodes, 1, MAX_NODES) ?? o.nodes;
  o.gpusPerNode = int(r.gpusPerNode, 0, MAX_GPUS_PER_NODE) ?? o.gpusPerNode;
  for (const k of ['partition', 'account', 'qos', 'time', 'constraint'] as const) {
    const v = r[k];
    if (typeof v === 'string' && v.trim() && !/[\0\n]/.test(v)) o[k] = v.trim();
  }
  if (Array.isArray(r.sbatchArgs)) o.sbatchArgs = r.sbatchArgs.filter((a): a is string => typeof a === 'string' && a !== '' && !a.includes('\0'));
  if (r.env && typeof r.env === 'object' && !Array.isArray(r.env)) {
    for (const [k, v] of Object.entries(r.env as Record<string, unknown>)) if (NAME.test(k) && (typeof v === 'string' || typeof v === 'number') && !String(v).includes('\0')) o.env[k] = String(v);
  }
  return o;
}

export function sanitizeLauncher(v: unknown): Launcher | undefined {
  return v === 'local' || v === 'slurm' ? v : undefined;
}

/** Whether a stage runs one process per GPU over every node (HAT's `--launcher torch`): float training only. */
export function isMultiProcess(spec: StageSpec): boolean {
  return spec.kind === 'train' && spec.hatStage !== 'calibration';
}

/** Whether the stage's tool takes `--launcher torch` (train.py: float training and calibration). */
export function takesTorchLauncher(spec: StageSpec): boolean {
  return spec.kind === 'train';
}

export interface JobPlanInput extends Omit<BuildInput, 'stage'> {
  spec: StageSpec;
  slurm: SlurmOptions;
  /** The launcher script as the compute nodes see it (copied next to the job script). */
  launcher: string;
  /** The job's script file (written by the caller with `plan.script`). */
  scriptFile: string;
  /** The file the job's output goes to (stdout and stderr of every task). */
  outputFile: string;
  jobName: string;
}

export interface JobPlan {
  /** HAT's own command, as each task runs it (argv). */
  command: string[];
  /** `sbatch …` (argv[0] is sbatch); prints the job id (`--parsable`). */
  sbatch: string[];
  /** The script's text: `cd` to the scripts folder, `exec srun … launcher -- command` (every word quoted). */
  script: string;
  /** Environment for sbatch (exported to the job with --export=ALL): the stage's env and the Slurm env. */
  env: Record<string, string>;
  cwd: string;
  nodes: number;
  /** Processes (srun tasks) in all. */
  tasks: number;
  /** A shell-quoted rendering for the log (display only). */
  display: string;
}

export type JobPlanResult = ({ ok: true } & JobPlan) | { ok: false; error: string };

/** Slurm reads `%` in --output as a pattern (`%j`…); `%%` is a literal `%`. */
export function slurmFilename(p: string): string {
  return p.replace(/%/g, '%%');
}

export function planJob(input: JobPlanInput): JobPlanResult {
  const { spec, slurm } = input;
  const multi = isMultiProcess(spec);
  const torch = takesTorchLauncher(spec);
  const options = { ...(input.options ?? {}) };
  // `--launcher torch` before the user's own args: HAT's `--opts` takes everything after it.
  if (torch) options.args = ['--launcher', 'torch', ...(options.args ?? [])];
  const built = buildCommand({ ...input, stage: spec.id, options });
  if (!built.ok) return built;
  for (const s of [...built.argv, built.cwd, input.launcher, input.outputFile, input.scriptFile]) {
    if (s.includes('\0')) return { ok: false, error: 'an argument contains a NUL character' };
  }
  const nodes = multi ? slurm.nodes : 1;
  const perNode = multi ? Math.max(1, slurm.gpusPerNode) : 1;
  const gpus = multi ? slurm.gpusPerNode : Math.min(1, slurm.gpusPerNode);
  const sbatch = ['sbatch', '--parsable', `--job-name=${input.jobName}`, `--output=${slurmFilename(input.outputFile)}`, '--export=ALL', `--chdir=${built.cwd}`, `--nodes=${nodes}`, `--ntasks-per-node=${perNode}`];
  if (gpus > 0) sbatch.push(`--gpus-per-node=${gpus}`);
  if (slurm.partition) sbatch.push(`--partition=${slurm.partition}`);
  if (slurm.account) sbatch.push(`--account=${slurm.account}`);
  if (slurm.qos) sbatch.push(`--qos=${slurm.qos}`);
  if (slurm.time) sbatch.push(`--time=${slurm.time}`);
  if (slurm.constraint) sbatch.push(`--constraint=${slurm.constraint}`);
  sbatch.push(...slurm.sbatchArgs, input.scriptFile);
  // One step over the whole allocation; one failing rank ends them all (the others would wait for it forever).
  const srun = ['srun', '--kill-on-bad-exit=1', `--nodes=${nodes}`, `--ntasks-per-node=${perNode}`, input.python, input.launcher, '--', ...built.argv];
  const script = [
    '#!/bin/sh',
    `# ${spec.label} (${spec.id}) for MixVarGENet Studio: ${nodes} node(s) x ${perNode} task(s)${torch ? ', HAT --launcher torch' : ''}.`,
    '# Generated; every word is quoted. The environment comes from sbatch (--export=ALL).',
    `cd ${shellQuote(built.cwd)} || exit 1`,
    `exec ${srun.map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
  const env = { PYTHONUNBUFFERED: '1', ...built.env, ...slurm.env };
  return { ok: true, command: built.argv, sbatch, script, env, cwd: built.cwd, nodes, tasks: nodes * perNode, display: `${sbatch.map(shellQuote).join(' ')}\n  → ${srun.map(shellQuote).join(' ')}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Job states.
// ---------------------------------------------------------------------------------------------------------------

/** States that end a job (squeue's and scontrol's names). */
export const TERMINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT', 'REVOKED']);

export interface JobInfo {
  jobId: string;
  /** PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, … */
  state: string;
  /** Why it is pending (Resources, Priority, …); undefined when "None". */
  reason?: string;
  /** The allocated nodes, expanded (node[1-2] → node1, node2). */
  nodes: string[];
  /** The batch script's exit code and the signal that ended it (scontrol's ExitCode=code:signal). */
  exitCode?: number;
  signal?: number;
}

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state);
}

/** Expand a Slurm hostlist: `node[1-2,5],gpu[01-03]` → node1, node2, node5, gpu01, gpu02, gpu03. */
export function expandNodelist(list: string): string[] {
  const out: string[] = [];
  // Split on commas outside brackets.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of list.trim()) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  for (const p of parts) {
    const m = /^([^[]*)\[([^\]]+)\](.*)$/.exec(p);
    if (!m) {
      if (p && p !== '(null)') out.push(p);
      continue;
    }
    const [, pre, body, post] = m;
    for (const r of body.split(',')) {
      const mm = /^(\d+)(?:-(\d+))?$/.exec(r);
      if (!mm) {
        out.push(`${pre}${r}${post}`);
        continue;
      }
      const width = mm[1].length;
      const a = Number(mm[1]);
      const b = mm[2] !== undefined ? Number(mm[2]) : a;
      for (let i = a; i <= b && i - a < 100_000; i++) out.push(expandNodelist(`${pre}${String(i).padStart(width, '0')}${post}`).join(','));
    }
  }
  return out.flatMap((x) => x.split(',')).filter(Boolean);
}

/** `scontrol show job -o ID` (one line of Key=Value pairs); undefined when it names no job. */
export function parseScontrolJob(text: string): JobInfo | undefined {
  const line = text.split('\n').find((l) => /^\s*JobId=/.test(l));
  if (!line) return undefined;
  const get = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S*)`).exec(line)?.[1];
  const jobId = get('JobId');
  const state = get('JobState');
  if (!jobId || !state) return undefined;
  const reason = get('Reason');
  const nodeList = get('NodeList');
  const info: JobInfo = { jobId, state, nodes: nodeList ? expandNodelist(nodeList) : [] };
  if (reason && reason !== 'None') info.reason = reason;
  const ec = /^(\d+):(\d+)$/.exec(get('ExitCode') ?? '');
  if (ec) {
    info.exitCode = Number(ec[1]);
    info.signal = Number(ec[2]);
  }
  return info;
}

/** The squeue format this module reads: `squeue -h -j ID -o SQUEUE_FORMAT`. */
export const SQUEUE_FORMAT = '%i|%T|%r|%N';

/** One line of `squeue -h -o '%i|%T|%r|%N'`; undefined when there is none (the job left the queue). */
export function parseSqueue(text: string): JobInfo | undefined {
  const line = text.split('\n').find((l) => l.trim());
  if (!line) return undefined;
  const [jobId, state, reason, nodes] = line.trim().split('|');
  if (!jobId || !state || !/^[A-Z_]+$/.test(state)) return undefined;
  const info: JobInfo = { jobId, state, nodes: nodes ? expandNodelist(nodes) : [] };
  if (reason && reason !== 'None') info.reason = reason;
  return info;
}

/** The job id sbatch --parsable printed (`123` or `123;cluster`). */
export function parseSbatchId(text: string): string | undefined {
  const m = /^\s*(\d+)(?:;\S+)?\s*$/m.exec(text);
  return m?.[1];
}

/** One line for a person: `PENDING (Resources)`, `RUNNING on node1, node2`, `FAILED (exit code 1)`. */
export function describeJob(info: JobInfo): string {
  if (info.state === 'PENDING') return `PENDING${info.reason ? ` (${info.reason})` : ''}`;
  if (info.state === 'RUNNING' || info.state === 'COMPLETING') return `${info.state}${info.nodes.length ? ` on ${info.nodes.join(', ')}` : ''}`;
  const bits: string[] = [];
  if (info.state === 'FAILED' && info.exitCode !== undefined) bits.push(`exit code ${info.exitCode}`);
  if (info.reason && info.state !== 'COMPLETED' && info.state !== 'CANCELLED') bits.push(info.reason);
  return `${info.state}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

/** What a job's end means for the run's record. */
export function jobStatus(info: JobInfo): 'ok' | 'failed' | 'cancelled' {
  if (info.state === 'CANCELLED') return 'cancelled';
  return info.state === 'COMPLETED' && !info.exitCode ? 'ok' : 'failed';
}
