/**
 * `mvg`: the command line over the analysis core. `run(args, io)` does the work and returns the exit
 * code (tests call it with a capturing CliIO); `main(argv)` wires it to the process.
 *
 * Exit codes: 0 fine, 1 lint errors found, 2 bad usage or unreadable input, 3 internal error.
 */
import { type CliIO, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './io';
import { lintCommand, LINT_HELP } from './lint';
import { infoCommand, INFO_HELP } from './info';
import { rulesCommand, RULES_HELP } from './rules';
import { logCommand, LOG_HELP } from './log';
import { resultsCommand, RESULTS_HELP } from './results';
import { VERSION } from './version';
import { nearest } from '../core/rules/support/spelling';
import { perfCommand, PERF_HELP } from './perf';
import { compareCommand, COMPARE_HELP } from './compare';
import { diffCommand, DIFF_HELP } from './diff';
import { runCommand, RUN_HELP } from './run';

export { type CliIO, memoryIO } from './io';

export const HELP = `mvg ${VERSION}: lint and measure MixVarGENet configs for HAT, without running them.

Usage:
  mvg lint FILE|DIR... [--format text|json|sarif] [--ops OPS.json] [--target J5|any]
                       [--no-hints] [--disable CODE,...]
  mvg info FILE [--json] [--ops OPS.json] [--target J5|any]
  mvg rules [CODE] [--json] [--markdown DIR]
  mvg perf FILE [--batch B] [--threads T] [--runs N] [--onnx OUT] [--json]
  mvg log LOGFILE... [--json]
  mvg results FILE [--json]
  mvg compare FILE|DIR... [--json]
  mvg diff OLD.py NEW.py [--json]   |   mvg diff FILE --rev REV [--json]
  mvg run STAGE CONFIG [--launcher local|slurm] [--nodes N] [--gpus-per-node G]
                       [--partition P] [--scripts-dir DIR] [--python PY] [--json]
  mvg help [COMMAND]
  mvg --version

Commands:
  lint    check configs: errors (HAT crashes), warnings (HAT silently builds a
          different network), hints (J5 design guidance)
  info    the network a config builds: per-stage shapes, params, MACs, fusion
  rules   the lint rules and their documentation
  log     what HAT's train/predict/compile_perf/board output says: metrics,
          accuracy, FPS, latency, or the root cause of a failed run
  results the HAT results the editor's HAT tasks stored for a config
          (accuracy, FPS, every run)
  compare configs side by side: params, MACs, activations, latest accuracy,
          J5 FPS/latency and findings, one row each
  run     run a HAT stage on a config (here, or as a Slurm job), stream its
          log, store its results; exits with the stage's status
  perf    build the network as ONNX and time it with onnxruntime on this CPU
          (seeded random weights: speed, not accuracy; not J5 latency)
  diff    what an edit did to the network: params/MACs deltas per stage, the
          fields that changed, findings new and fixed (two files, or a file
          against a git revision)

Exit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable input,
3 internal error (set MVG_DEBUG=1 for the stack).
`;

/** A command returns its exit code; `perf` (ORT in a child process) returns it as a promise and honours the signal. */
interface Command {
  run: (args: string[], io: CliIO, signal?: AbortSignal) => number | Promise<number>;
  help: string;
}

const COMMANDS: Record<string, Command> = {
  lint: { run: lintCommand, help: LINT_HELP },
  info: { run: infoCommand, help: INFO_HELP },
  rules: { run: rulesCommand, help: RULES_HELP },
  log: { run: logCommand, help: LOG_HELP },
  results: { run: resultsCommand, help: RESULTS_HELP },
  perf: { run: perfCommand, help: PERF_HELP },
  compare: { run: compareCommand, help: COMPARE_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
  run: { run: runCommand, help: RUN_HELP },
};

function dispatch(args: string[], io: CliIO, signal?: AbortSignal): number | Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    io.stderr(HELP);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (rest.length > (first === 'help' ? 1 : 0)) throw new UsageError(`unexpected argument '${rest[first === 'help' ? 1 : 0]}'`);
    if (topic === undefined) io.stdout(HELP);
    else {
      const cmd = COMMANDS[topic];
      if (!cmd) throw new UsageError(unknownCommand(topic));
      else io.stdout(cmd.help);
    }
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (options go after the command)`);
  const cmd = COMMANDS[first];
  if (!cmd) throw new UsageError(unknownCommand(first));
  return cmd.run(rest, io, signal);
}

function unknownCommand(name: string): string {
  const guess = nearest(name, Object.keys(COMMANDS));
  return `unknown command '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`;
}

function describe(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return { message: e.message, stack: e.stack };
  return { message: String(e) };
}

/** What an error thrown by a command means for the user: the message on stderr and the exit code. */
function report(e: unknown, io: CliIO): number {
  try {
    if (e instanceof UsageError) {
      io.stderr(`mvg: ${e.message}\nRun 'mvg help${e.command ? ` ${e.command}` : ''}' for usage.\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      io.stderr(`mvg: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const d = describe(e);
    io.stderr(`mvg: internal error: ${d.message}\n`);
    if (io.env.MVG_DEBUG === '1' && d.stack) io.stderr(`${d.stack}\n`);
    else io.stderr('(set MVG_DEBUG=1 for the stack trace)\n');
  } catch {
    // The error stream itself failed: nothing more to say.
  }
  return EXIT_INTERNAL;
}

/**
 * Run the CLI on `args` (without node and script). Never throws or rejects; returns the exit code —
 * synchronously for every command but `perf`, whose code comes as a promise (`signal` cancels it).
 */
export function run(args: string[], io: CliIO, signal?: AbortSignal): number | Promise<number> {
  try {
    const code = dispatch(args, io, signal);
    return typeof code === 'number' ? code : code.catch((e: unknown) => report(e, io));
  } catch (e) {
    return report(e, io);
  }
}

/** The process entry point: `main(process.argv)`. */
export function main(argv: string[] = process.argv): number {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // `mvg lint … | head`: the reader went away; that is not our failure.
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  });
  const io: CliIO = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    isTTY: !!process.stdout.isTTY,
  };
  const ac = new AbortController();
  const code = run(argv.slice(2), io, ac.signal);
  if (typeof code === 'number') {
    process.exitCode = code;
    return code;
  }
  // An asynchronous command (perf): Ctrl+C cancels it (its child process is stopped) instead of killing us.
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  void code.then((c) => {
    process.off('SIGINT', onSigint);
    process.exitCode = c;
  });
  return EXIT_OK;
}

if (require.main === module) main(process.argv);
