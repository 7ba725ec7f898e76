/**
 * The HAT command workflow of MIXVARGENET.md §1 as data: every stage, the script it runs from HAT's `scripts`
 * folder and the argv it takes, and a pure argv builder. Nothing here runs anything: the editor feature and tests
 * spawn the argv this returns, without a shell.
 */

export type StageId =
  | 'pack_train'
  | 'pack_val'
  | 'float_train'
  | 'float_predict'
  | 'calibration'
  | 'calibration_predict'
  | 'int_infer_predict'
  | 'align_bpu'
  | 'compile_perf'
  | 'infer';

/** Which number of the inline summary a stage feeds. */
export type SummaryKey = 'float' | 'calib' | 'int' | 'bpu' | 'fps';

export interface StageSpec {
  id: StageId;
  /** Short label used in the summary and the task name. */
  label: string;
  /** Palette title after "MixVarGENet: ". */
  title: string;
  /** The script, relative to the scripts folder (posix separators). */
  script: string;
  kind: 'pack' | 'train' | 'predict' | 'align' | 'compile' | 'infer';
  /** The value of `--stage` for train.py / predict.py. */
  hatStage?: string;
  summary?: SummaryKey;
  /** HAT's tools accept `--device-ids 0,1,…` (overrides device_ids of the config). */
  takesDeviceIds: boolean;
  description: string;
}

/** In the order of the workflow. */
export const STAGES: readonly StageSpec[] = [
  { id: 'pack_train', label: 'pack train', title: 'Pack the Training Set', script: 'tools/datasets/imagenet_packer.py', kind: 'pack', takesDeviceIds: false, description: 'pack the ImageNet train split into an LMDB' },
  { id: 'pack_val', label: 'pack val', title: 'Pack the Validation Set', script: 'tools/datasets/imagenet_packer.py', kind: 'pack', takesDeviceIds: false, description: 'pack the ImageNet val split into an LMDB' },
  { id: 'float_train', label: 'float train', title: 'Run Float Training', script: 'tools/train.py', kind: 'train', hatStage: 'float', summary: 'float', takesDeviceIds: true, description: 'float training' },
  { id: 'float_predict', label: 'float', title: 'Run Float Predict', script: 'tools/predict.py', kind: 'predict', hatStage: 'float', summary: 'float', takesDeviceIds: true, description: 'float accuracy' },
  { id: 'calibration', label: 'calibration', title: 'Run Calibration', script: 'tools/train.py', kind: 'train', hatStage: 'calibration', summary: 'calib', takesDeviceIds: true, description: 'calibration (PTQ)' },
  { id: 'calibration_predict', label: 'calib', title: 'Run Calibration Predict', script: 'tools/predict.py', kind: 'predict', hatStage: 'calibration', summary: 'calib', takesDeviceIds: true, description: 'calibration accuracy' },
  { id: 'int_infer_predict', label: 'int', title: 'Run Int Infer Predict', script: 'tools/predict.py', kind: 'predict', hatStage: 'int_infer', summary: 'int', takesDeviceIds: true, description: 'quantized (int) accuracy' },
  { id: 'align_bpu', label: 'bpu', title: 'Run Align BPU Validation', script: 'tools/align_bpu_validation.py', kind: 'align', summary: 'bpu', takesDeviceIds: false, description: 'simulated on-board accuracy' },
  { id: 'compile_perf', label: 'compile_perf', title: 'Run Compile Perf', script: 'tools/compile_perf.py', kind: 'compile', summary: 'fps', takesDeviceIds: false, description: 'compile + static perf (FPS, latency)' },
  { id: 'infer', label: 'infer', title: 'Run Single-Image Infer', script: 'tools/infer.py', kind: 'infer', takesDeviceIds: false, description: 'single-image visualisation' },
];

export const STAGE_IDS: readonly StageId[] = STAGES.map((s) => s.id);

export function stageSpec(id: string): StageSpec | undefined {
  return STAGES.find((s) => s.id === id);
}

/** Per-stage settings (`mixvargenet.hat.stages.<id>`). Unknown or ill-typed fields are ignored. */
export interface StageOptions {
  /** Extra argv appended after the stage's own arguments. */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** GPU ids → `--device-ids 0,1`. */
  deviceIds?: (number | string)[];
  /** compile_perf `--opt` (0..3, default 3). */
  opt?: number;
  /** compile_perf `--out-dir` (default ./tmp_compile, relative to the scripts folder). */
  outDir?: string;
  /** infer `--save-path` (default ./tmp_infer). */
  savePath?: string;
  /** imagenet_packer `--src-data-dir` (required for the pack stages). */
  srcDataDir?: string;
  /** imagenet_packer `--target-data-dir` (default ./tmp_data/imagenet). */
  targetDataDir?: string;
  /** imagenet_packer `--pack-type` (default lmdb). */
  packType?: string;
}

/** Keep only well-typed fields of a settings object. */
export function sanitizeStageOptions(raw: unknown): StageOptions {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const o: StageOptions = {};
  if (Array.isArray(r.args)) o.args = r.args.filter((a): a is string => typeof a === 'string');
  if (r.env && typeof r.env === 'object' && !Array.isArray(r.env)) {
    o.env = {};
    for (const [k, v] of Object.entries(r.env as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') o.env[k] = String(v);
  }
  if (Array.isArray(r.deviceIds)) o.deviceIds = r.deviceIds.filter((d): d is number | string => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || (typeof d === 'string' && /^\w+$/.test(d)));
  else if (typeof r.deviceIds === 'string' && r.deviceIds.trim()) o.deviceIds = r.deviceIds.split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof r.opt === 'number' && Number.isInteger(r.opt) && r.opt >= 0 && r.opt <= 3) o.opt = r.opt;
  for (const k of ['outDir', 'savePath', 'srcDataDir', 'targetDataDir', 'packType'] as const) if (typeof r[k] === 'string' && (r[k] as string).trim()) o[k] = (r[k] as string).trim();
  return o;
}

export interface BuildInput {
  stage: StageId;
  /** Absolute path of HAT's scripts folder (the working directory). */
  scriptsDir: string;
  /** Python executable (a path or a name looked up on PATH). */
  python: string;
  /** Optional argv prefix, e.g. ["docker", "exec", "-w", "${scriptsDir}", "oe"]. */
  prefix?: string[];
  /** Absolute path of the config file (not needed by the pack stages). */
  config?: string;
  options?: StageOptions;
  /** Path separator of the platform (tests pass '\\' for Windows). */
  sep?: '/' | '\\';
  /** Values for `${…}` in prefix and option strings (workspaceFolder, …). scriptsDir, config, python are added. */
  vars?: Record<string, string>;
}

export interface BuiltCommand {
  /** argv[0] is the program. Passed to spawn without a shell. */
  argv: string[];
  cwd: string;
  /** Extra environment (merged over the extension host's). */
  env: Record<string, string>;
  /** A shell-quoted rendering for the log (display only, never executed). */
  display: string;
}

export type BuildResult = ({ ok: true } & BuiltCommand) | { ok: false; error: string };

/** `${name}` substitution: literal text, no shell, unknown names stay as they are. */
export function substitute(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\{(\w+)\}/g, (all, name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : all));
}

/** The config path as HAT's docs show it: relative to the scripts folder when inside it, else absolute. */
export function configArg(config: string, scriptsDir: string, sep: '/' | '\\' = '/'): string {
  const norm = (p: string) => (sep === '\\' ? p.replace(/\//g, '\\') : p);
  const dir = norm(scriptsDir).replace(/[\\/]+$/, '') + sep;
  const c = norm(config);
  const inside = sep === '\\' ? c.toLowerCase().startsWith(dir.toLowerCase()) : c.startsWith(dir);
  return inside ? c.slice(dir.length) : c;
}

export function buildCommand(input: BuildInput): BuildResult {
  const spec = stageSpec(input.stage);
  if (!spec) return { ok: false, error: `unknown HAT stage '${input.stage}' (one of ${STAGE_IDS.join(', ')})` };
  const o = input.options ?? {};
  const sep = input.sep ?? '/';
  const vars: Record<string, string> = { ...(input.vars ?? {}), scriptsDir: input.scriptsDir, python: input.python };
  if (input.config) vars.config = input.config;
  const sub = (s: string) => substitute(s, vars);
  const script = sep === '\\' ? spec.script.replace(/\//g, '\\') : spec.script;
  const args: string[] = [];
  if (spec.kind === 'pack') {
    if (!o.srcDataDir) return { ok: false, error: `the ${spec.label} stage needs the ImageNet source folder: set "srcDataDir" in mixvargenet.hat.stages.${spec.id}` };
    args.push('--src-data-dir', sub(o.srcDataDir), '--target-data-dir', sub(o.targetDataDir ?? './tmp_data/imagenet'), '--split-name', spec.id === 'pack_train' ? 'train' : 'val', '--pack-type', sub(o.packType ?? 'lmdb'));
  } else {
    if (!input.config) return { ok: false, error: `the ${spec.label} stage needs a config file` };
    args.push('--config', configArg(input.config, input.scriptsDir, sep));
    if (spec.hatStage) args.push('--stage', spec.hatStage);
    if (spec.kind === 'compile') args.push('--out-dir', sub(o.outDir ?? './tmp_compile'), '--opt', String(o.opt ?? 3));
    if (spec.kind === 'infer') args.push('--save-path', sub(o.savePath ?? './tmp_infer'));
  }
  if (spec.takesDeviceIds && o.deviceIds && o.deviceIds.length) args.push('--device-ids', o.deviceIds.join(','));
  for (const a of o.args ?? []) args.push(sub(a));
  const prefix = (input.prefix ?? []).filter((p) => typeof p === 'string' && p !== '').map(sub);
  const argv = [...prefix, input.python, script, ...args];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.env ?? {})) env[k] = sub(v);
  return { ok: true, argv, cwd: input.scriptsDir, env, display: argv.map(shellQuote).join(' ') };
}

/** POSIX single-quote rendering, for display in logs only. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
