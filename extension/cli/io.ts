/**
 * What a CLI command may touch besides the file system: its output streams, the working directory,
 * the environment and whether stdout is a terminal. Tests pass a capturing implementation.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** stdout is a terminal: colour is used when it is and NO_COLOR is not set. */
  isTTY: boolean;
}

/** A bad command line (unknown flag, missing value, no files): exit 2 with a usage hint. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help to point at. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be used (missing file, invalid JSON): exit 2, no usage hint. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A capturing CliIO for tests and embedding. */
export function memoryIO(options: Partial<Omit<CliIO, 'stdout' | 'stderr'>> = {}): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
