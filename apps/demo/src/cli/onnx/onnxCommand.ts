import { type Command, CommanderError } from "commander";
import type { CliIo } from "../io";
import type { OnnxInspectOptions } from "./inspect";

/** Exit code of a usage error (bad or missing flag, bad flag value) of `quantkit onnx ...`. */
export const USAGE_EXIT_CODE = 2;

/**
 * Makes commander's own errors of `command` (unknown option, missing argument, bad choice) exit with
 * {@link USAGE_EXIT_CODE}; --help and --version keep 0.
 */
function usageExit(command: Command): Command {
  return command.exitOverride((error) => {
    if (error.exitCode === 0) throw error;
    throw new CommanderError(USAGE_EXIT_CODE, error.code, error.message);
  });
}

/** A usage error found after parsing (flags that exclude each other, a flag the mode needs). */
export function usageError(message: string): CommanderError {
  return new CommanderError(USAGE_EXIT_CODE, "quantkit.options", message);
}

/**
 * Adds `quantkit onnx inspect` to `program`. Each action loads its code
 * (and @quantkit/onnx, onnxruntime-node) only when it runs; `setCode` receives its exit code.
 */
export function addOnnxCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const onnx = usageExit(
    program
      .command("onnx")
      .description("inspect and quantize ONNX models (@quantkit/onnx; runs them with onnxruntime-node)"),
  );

  usageExit(
    onnx
      .command("inspect")
      .description("operators and their counts, parameters per dtype, opsets, inputs, outputs and sizes")
      .argument("<file>", "an .onnx model (external data files are read from its folder)")
      .option("--json", "print the report as JSON", false),
  ).action(async (file: string, opts: OnnxInspectOptions) => {
    const { onnxInspectCommand } = await import("./inspect");
    setCode(await onnxInspectCommand(file, opts, io));
  });
}
