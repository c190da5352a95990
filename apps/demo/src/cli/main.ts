import { type CliIo, processIo } from "./io";
import { runCli } from "./program";

/**
 * The process entry of `quantkit` (bin/quantkit.mjs calls it): runs the command line with the
 * process's streams; the first Ctrl-C asks a running `quantkit run` to stop after its current step
 * (it then prints what finished and exits 130), a second one exits at once.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    io.err("\nquantkit: stopping after the current step (Ctrl-C again to quit now)\n");
  };
  process.on("SIGINT", onSigint);
  try {
    return await runCli(argv, io, controller.signal);
  } finally {
    process.off("SIGINT", onSigint);
  }
}
