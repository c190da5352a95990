import { CommanderError } from "commander";

/** Exit code of a usage error (bad or missing flag, bad flag value) of `quantkit onnx ...`. */
export const USAGE_EXIT_CODE = 2;

/** A usage error found after parsing (flags that exclude each other, a flag the mode needs). */
export function usageError(message: string): CommanderError {
  return new CommanderError(USAGE_EXIT_CODE, "quantkit.options", message);
}
