import { resolve } from "node:path";
import { outputColumns, shouldColor } from "./terminal";

/** Where the command writes: results to `out` (stdout), progress and errors to `err` (stderr). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether `err` is a terminal (progress bars are drawn only then). */
  readonly errIsTTY: boolean;
  /** The stream progress bars draw on (cli-progress needs a stream), when there is one. */
  readonly errStream?: NodeJS.WriteStream;
  /** Columns to lay results out for (undefined: piped, no wrapping). See terminal.ts. */
  readonly outColumns?: number;
  /** Whether to colour what goes to `out` / `err` (see terminal.ts's shouldColor). Default no colour. */
  readonly outColor?: boolean;
  readonly errColor?: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  errIsTTY: process.stderr.isTTY === true,
  errStream: process.stderr,
  get outColumns() {
    return outputColumns(process.stdout, process.env);
  },
  outColor: shouldColor(process.stdout.isTTY === true, process.env),
  errColor: shouldColor(process.stderr.isTTY === true, process.env),
};

/** An in-memory io, for tests: everything written is kept. */
export function memoryIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    errIsTTY: false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

/**
 * A path the user typed, made absolute against the directory the user ran the command from: under a
 * package script (`pnpm quantkit ...`, whose working directory is apps/demo) that is pnpm's INIT_CWD,
 * otherwise the working directory. So `pnpm quantkit quantize weights.safetensors` reads the file in
 * the directory the user is in.
 */
export function userPath(p: string): string {
  const env = process.env;
  const base = env.npm_lifecycle_event !== undefined && env.INIT_CWD ? env.INIT_CWD : process.cwd();
  return resolve(base, p);
}
