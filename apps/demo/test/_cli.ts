// Runs the `quantkit` command line in-process for the tests: argv without the program name, output
// captured by the CLI's memory I/O.
import { memoryIo } from "../src/cli/io";
import { runCli } from "../src/cli/program";

/** `quantkit ...argv`: its exit code and what it printed on stdout and stderr. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}
