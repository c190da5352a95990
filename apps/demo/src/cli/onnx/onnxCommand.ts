import { type Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "../io";
import { choiceOption, intOption, listOption } from "../parse";
import type { OnnxInspectOptions } from "./inspect";
import {
  CALIBRATORS,
  DEPTHWISE_LAYOUTS,
  MODES,
  type OnnxQuantizeOptions,
  Q4_METHODS,
  Q4_OP_TYPES,
} from "./quantizeOptions";
import { USAGE_EXIT_CODE, usageError } from "./usageError";

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

/**
 * Adds `quantkit onnx inspect` and `quantkit onnx quantize` to `program`. Each action loads its code
 * (and @quantkit/onnx, onnxruntime-node) only when it runs; `setCode` receives its exit code.
 */
export function addOnnxCommand(
  program: Command,
  io: CliIo,
  setCode: (code: number) => void,
  signal?: AbortSignal,
): void {
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

  usageExit(
    onnx
      .command("quantize")
      .description(
        "quantize an ONNX model (fp16: float16 weights and compute, float32 inputs and outputs kept; q8: int8 weights, activations quantized at run time; int8: static QDQ, activation ranges from --calibration; q4: 4-bit blocks of MatMul weights as MatMulNBits; q4f16: the same with float16 scales, then float16 weights and compute as fp16); checks that onnxruntime-node loads the result, prints sizes, SQNR against the float model on --calibration samples and the nodes left float",
      )
      .argument("<file>", "the float .onnx model")
      .addOption(new Option("--mode <mode>", MODES.join(", ")).choices([...MODES]).makeOptionMandatory())
      .requiredOption("-o, --output <file>", "where to write the quantized model (written atomically)")
      .option(
        "--calibration <dir>",
        "input samples: .safetensors files (one sample each, tensors named after the graph inputs), .npy files (one sample each, for a model with one input) or folders of <input>.npy; the SQNR is measured on them",
      )
      .option(
        "--calibrator <name>",
        `int8: activation ranges by ${CALIBRATORS.join(", ")} (default minmax)`,
        choiceOption(CALIBRATORS),
      )
      .option("--per-channel", "one weight scale per output channel (q8: the default)")
      .option("--no-per-channel", "one weight scale per tensor")
      .option("--exclude <nodes>", "comma-separated names of nodes to keep float", nameList)
      .option(
        "--depthwise <layout>",
        "depthwise Convs: q8 integer, float (default) or weights; int8 qdq (default), float or weights",
        choiceOption(DEPTHWISE_LAYOUTS),
      )
      .option(
        "--keep-float <n>",
        "q8, int8: keep the n nodes whose quantization costs the outputs most float (leave-one-out sensitivity on --calibration)",
        intOption(1),
      )
      .option("--max-samples <n>", "use at most n calibration samples (in name order)", intOption(1))
      .option(
        "--block-size <n>",
        "q4, q4f16: weights per block along K (16, 32, 64, 128 or 256; default 32)",
        (v: string) => {
          const n = intOption(16, 256)(v);
          if ((n & (n - 1)) !== 0)
            throw new InvalidArgumentError(`expected a power of two in 16..256, got "${v}"`);
          return n;
        },
      )
      .option(
        "--method <name>",
        `q4, q4f16: ${Q4_METHODS.join(", ")} (gptq and awq need --calibration; default rtn)`,
        choiceOption(Q4_METHODS),
      )
      .option(
        "--op-types <list>",
        `q4, q4f16: comma-separated op types to quantize, of ${Q4_OP_TYPES.join(", ")} (default MatMul; Gather: embedding tables too, as GatherBlockQuantized)`,
        listOption(Q4_OP_TYPES),
      )
      .option("--json", "print the report as JSON", false)
      .option("--no-progress", "no progress bar"),
  ).action(async (file: string, opts: OnnxQuantizeOptions) => {
    if (opts.calibrator !== undefined && opts.mode !== "int8")
      throw usageError(`--calibrator applies to --mode int8, got --mode ${opts.mode}`);
    if (opts.mode === "int8" && opts.calibration === undefined)
      throw usageError("--mode int8 needs --calibration <dir> (the samples its activation ranges come from)");
    if (opts.mode === "fp16" && opts.perChannel !== undefined)
      throw usageError("--per-channel and --no-per-channel do not apply to --mode fp16");
    if (opts.depthwise !== undefined) {
      const allowed = opts.mode === "q8" ? "integer" : opts.mode === "int8" ? "qdq" : undefined;
      if (allowed === undefined)
        throw usageError(`--depthwise applies to --mode q8 and int8, got --mode ${opts.mode}`);
      if (opts.depthwise !== allowed && opts.depthwise !== "float" && opts.depthwise !== "weights")
        throw usageError(
          `--depthwise ${opts.depthwise} does not apply to --mode ${opts.mode} (${allowed}, float or weights)`,
        );
    }
    const q4 = opts.mode === "q4" || opts.mode === "q4f16";
    if (!q4 && (opts.blockSize !== undefined || opts.method !== undefined || opts.opTypes !== undefined))
      throw usageError(
        `--block-size, --method and --op-types apply to --mode q4 and q4f16, got --mode ${opts.mode}`,
      );
    if (q4 && opts.perChannel !== undefined)
      throw usageError(
        `--per-channel and --no-per-channel do not apply to --mode ${opts.mode} (its scales are per block)`,
      );
    if ((opts.method === "gptq" || opts.method === "awq") && opts.calibration === undefined)
      throw usageError(
        `--method ${opts.method} needs --calibration <dir> (the layer inputs it weighs the error by)`,
      );
    const { onnxQuantizeCommand } = await import("./quantize");
    setCode(await onnxQuantizeCommand(file, opts, io, signal));
  });
}

function nameList(value: string): string[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0)
    throw new InvalidArgumentError(`expected comma-separated node names, got "${value}"`);
  return [...new Set(names)];
}
