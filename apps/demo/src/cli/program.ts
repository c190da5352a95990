import { Command, CommanderError, Option } from "commander";
import {
  CPU_BACKENDS,
  DATASETS,
  FLOAT_FORMAT_NAMES,
  QUANTIZE_CALIBRATORS,
  RUN_CALIBRATORS,
  WEIGHT_CALIBRATORS,
} from "./constants";
import { HELP_EXAMPLES } from "./helpText";
import type { CliIo } from "./io";
import { addOnnxCommand } from "./onnx/onnxCommand";
import { choiceOption, intOption, listOption, numberOption, positiveOption } from "./parse";
import type { QuantizeOptions } from "./quantize";
import type { RunOptions } from "./run";
import { styles } from "./terminal";

/** What a command action resolves to: the process exit code. */
type Action = () => Promise<number>;

/**
 * The `quantkit` command line: `run`, `explain`, `quantize`. Output goes through `io`; a command's
 * exit code is kept in `result.code` (commander's own errors and --help throw CommanderError, which
 * {@link runCli} turns into an exit code). `signal` stops a running `quantkit run`.
 */
export function createProgram(io: CliIo, result: { code: number }, signal?: AbortSignal): Command {
  const program = new Command("quantkit");
  const errStyle = styles(io.errColor === true);
  program
    .description(
      "Make a neural network smaller and faster by storing its numbers as 8-bit (or fewer) integers, and see what it costs in accuracy. Also explains how numbers are stored in floats and integers.",
    )
    .version("0.1.0")
    .showHelpAfterError("(run with --help for the options)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(errStyle.red(s)),
    })
    .addHelpText("after", HELP_EXAMPLES.main);
  const act = (fn: Action) => async () => {
    result.code = await fn();
  };

  program
    .command("run")
    .description(
      "train a small network (784-100-100-10) on handwritten digits, turn it into an integer-only model after training (PTQ) and by training with simulated rounding (QAT), and print one table: accuracy, file size and speed of each",
    )
    .addHelpText("after", HELP_EXAMPLES.run)
    .addOption(
      new Option(
        "--dataset <name>",
        "mnist (bundled 10,000 digits), fashion-mnist, or idx (any MNIST-format directory)",
      )
        .choices(DATASETS)
        .default("mnist"),
    )
    .option(
      "--data-dir <dir>",
      "directory of MNIST-format IDX files (fashion-mnist default: /usr/share/datasets/fashion-mnist/)",
    )
    .option("--epochs <n>", "training epochs", intOption(1, 1000), 1)
    .option("--batch-size <n>", "mini-batch size", intOption(1, 1_000_000), 10)
    .option("--lr <x>", "Adam learning rate", positiveOption, 1e-3)
    .option("--seed <n>", "seed of the initialisation, shuffling and splits", intOption(0, 2 ** 31 - 1), 0)
    .option("--bits <n>", "bits of weights and activations (2..8)", intOption(2, 8), 8)
    .option(
      "--weight-bits <n>",
      "bits of the weights (2..8, signed symmetric), overrides --bits",
      intOption(2, 8),
    )
    .option(
      "--activation-bits <n>",
      "bits of the activations (2..8, unsigned affine), overrides --bits",
      intOption(2, 8),
    )
    .option("--per-channel", "one weight scale per output channel", false)
    .addOption(
      listDefault(
        new Option(
          "--calibrators <list>",
          `ways of choosing the activations' range tried for the best PTQ, comma-separated (${RUN_CALIBRATORS.join(", ")})`,
        ).argParser(listOption(RUN_CALIBRATORS)),
        ["minmax", "histogram", "percentile", "mse", "entropy"],
      ),
    )
    .addOption(
      listDefault(
        new Option(
          "--weight-calibrators <list>",
          `ways of choosing the weights' range tried with each (${WEIGHT_CALIBRATORS.join(", ")})`,
        ).argParser(listOption(WEIGHT_CALIBRATORS)),
        ["minmax", "mse"],
      ),
    )
    .option("--calibration-samples <n>", "training samples the observers see", intOption(1), 1000)
    .option(
      "--selection-samples <n>",
      "other training samples the best calibrator is chosen on",
      intOption(1),
      1000,
    )
    .addOption(
      new Option("--qat <modes>", "QAT runs: scratch, finetune, both or none")
        .argParser((v: string) => parseQat(v))
        .default(["scratch", "finetune"], "both"),
    )
    .addOption(
      new Option(
        "--weight-only <bits>",
        "weight-only PTQ rows (RTN, GPTQ, AWQ, HQQ; activations stay float) at these widths: a list of 2, 3, 4, 8, or none",
      )
        .argParser((v: string) => parseWeightOnly(v))
        .default([4, 3], "4,3"),
    )
    .addOption(
      new Option(
        "--weight-only-block-size <n>",
        "weights per block of the weight-only rows, along each layer's inputs",
      )
        .argParser((v: string) => Number(choiceOption(["16", "32", "64", "128", "256"] as const)(v)))
        .default(32),
    )
    .option("--qat-epochs <n>", "QAT epochs (default --epochs)", intOption(1, 1000))
    .option("--qat-lr <x>", "QAT-from-scratch learning rate (default --lr)", positiveOption)
    .option("--finetune-lr <x>", "QAT fine-tuning learning rate (default --lr / 10)", positiveOption)
    .addOption(
      listDefault(
        new Option(
          "--backends <list>",
          `CPU kernels to evaluate and time (${CPU_BACKENDS.join(", ")}); the first computes the accuracies`,
        ).argParser(listOption(CPU_BACKENDS, true)),
        ["wasm-simd", "js"],
      ),
    )
    .option(
      "--gpu [backend]",
      "add @quantkit/kernels-gpu (gpu.js): headlessgl, webgl2, webasm, cpu, or the best available; added by itself when headless-gl runs here",
    )
    .option("--no-gpu", "never add the GPU kernels")
    .option(
      "--timing-repeats <n>",
      "timed test-set passes per model and backend (0: no timing)",
      intOption(0, 1000),
      5,
    )
    .option("--train-limit <n>", "use a seeded subset of n training samples (quick runs)", intOption(1))
    .option("--test-limit <n>", "use a seeded subset of n test samples", intOption(1))
    .option(
      "--json",
      "print the results as JSON (keys: fp32, ptq, ptqBest, qat, qatFinetune, fp32Finetune, weightOnly, each with accuracy, sizeBytes, backend, inferenceMs)",
      false,
    )
    .option(
      "--save <dir>",
      "write mlp-fp32.safetensors, the integer models (mlp-int8*.safetensors) and results.json",
    )
    .option(
      "--report",
      "print the per-layer quantization report (range, scale, zero point, SQNR against fp32)",
      false,
    )
    .option("--no-progress", "no progress bars")
    .action(async (_opts, cmd: Command) => {
      const o = cmd.opts() as RunOptions;
      const { runCommand } = await import("./run");
      await act(() => runCommand(o, io, signal))();
    });

  program
    .command("explain")
    .description(
      "a number in every float format (float32, float16, bfloat16, float8 e4m3fn/e5m2/fnuz): bits, formula, rounding error; integers also in two's complement",
    )
    .argument("<number>", "e.g. 0.1, -2.5e-8, 65504, 0x7f, inf, nan")
    .addHelpText("after", HELP_EXAMPLES.explain)
    .option(
      "--formats <list>",
      `formats to show (${FLOAT_FORMAT_NAMES.join(",")})`,
      listOption(FLOAT_FORMAT_NAMES),
    )
    .option("--json", "print the explanations as JSON", false)
    .action(async (value: string, opts: { formats?: string[]; json: boolean }) => {
      const { explainCommand, parseNumberArgument } = await import("./explain");
      // A <number> that does not read as one is a usage error (exit 2), like any bad argument.
      try {
        parseNumberArgument(value);
      } catch (error) {
        throw new CommanderError(2, "quantkit.options", (error as Error).message);
      }
      await act(async () => explainCommand(value, opts, io))();
    });

  program
    .command("quantize")
    .description(
      "quantize the tensors of a file (safetensors, .npy or JSON) and print the parameters and the errors",
    )
    .argument("<file>", "a .safetensors, .npy or .json tensor file")
    .addHelpText("after", HELP_EXAMPLES.quantize)
    .option("--tensor <name>", "only this tensor of the file")
    .addOption(
      new Option("--scheme <scheme>", "affine (asymmetric) or symmetric")
        .choices(["affine", "symmetric"])
        .default("affine"),
    )
    .option("--bits <n>", "code bits (1..16)", intOption(1, 16), 8)
    .option("--signed", "signed codes (default: symmetric signed, affine unsigned)")
    .option("--unsigned", "unsigned codes")
    .option("--narrow-range", "signed codes without the most negative one (-(2^(b-1)-1)..2^(b-1)-1)", false)
    .addOption(
      new Option("--granularity <g>", "per tensor, per channel, or per group")
        .choices(["tensor", "channel", "group"])
        .default("tensor"),
    )
    .option("--axis <n>", "channel axis (per channel) or group axis (per group)", intOption(-64, 64), 0)
    .option("--group-size <n>", "elements per group along --axis", intOption(1))
    .option(
      "--calibrator <name>",
      `range by ${QUANTIZE_CALIBRATORS.join(", ")}, or all`,
      choiceOption([...QUANTIZE_CALIBRATORS, "all"] as const),
      "minmax",
    )
    .option("--percentile <p>", "upper percentile of the percentile calibrator (default 99.99)", numberOption)
    .option("--json", "print the results as JSON", false)
    .action(async (file: string, opts: QuantizeOptions & { unsigned?: boolean }) => {
      if (opts.signed && opts.unsigned)
        throw new CommanderError(2, "quantkit.options", "--signed and --unsigned exclude each other");
      const o: QuantizeOptions = { ...opts, ...(opts.unsigned ? { signed: false } : {}) };
      const { quantizeCommand } = await import("./quantize");
      await act(() => quantizeCommand(file, o, io))();
    });
  addOnnxCommand(program, io, (code) => void (result.code = code), signal);
  return program;
}

/** An option whose default is a list, shown in --help as "a,b" rather than as a JSON array. */
function listDefault<T extends string>(option: Option, value: readonly T[]): Option {
  return option.default([...value], value.join(","));
}

function parseWeightOnly(v: string): Array<2 | 3 | 4 | 8> {
  if (v === "none") return [];
  return listOption(["4", "3", "2", "8"] as const)(v).map((b) => Number(b) as 2 | 3 | 4 | 8);
}

function parseQat(v: string): Array<"scratch" | "finetune"> {
  if (v === "none") return [];
  if (v === "both") return ["scratch", "finetune"];
  return listOption(["scratch", "finetune"] as const)(v);
}

/**
 * Runs the command line on `argv` (without node and the script) and resolves to the exit code:
 * 0, the command's own code (130 for an interrupted run), 2 for a usage error (an unknown option or
 * command, a bad or missing argument, no command at all: the message and a hint on stderr), 1 for a
 * failure while running (the message on stderr, prefixed "quantkit:"), 0 for --help / --version.
 *
 * @example
 * process.exitCode = await runCli(["explain", "0.1"]);
 */
export async function runCli(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  argv = _negativeNumberLast(argv);
  const result = { code: 0 };
  const program = createProgram(io, result, signal);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "quantkit.options")
        io.err(`${styles(io.errColor === true).red("quantkit:")} ${error.message}\n`);
      return usageExitCode(error);
    }
    io.err(`${styles(io.errColor === true).red("quantkit:")} ${(error as Error).message}\n`);
    return 1;
  }
}

/**
 * `explain -inf` (or -nan, -infinity): commander takes "-inf" for an unknown option, so the number goes
 * last, after "--". Plain negative numbers (-2.5e-8) commander reads as arguments already.
 */
function _negativeNumberLast(argv: readonly string[]): readonly string[] {
  if (argv[0] !== "explain" || argv.includes("--")) return argv;
  const i = argv.findIndex((a) => /^-(inf|infinity|nan)$/i.test(a));
  return i < 0 ? argv : [...argv.slice(0, i), ...argv.slice(i + 1), "--", argv[i]!];
}

/**
 * The exit code for one of commander's errors: 0 for --help and --version, 2 for every usage error
 * (the convention of getopt tools and Python's argparse), including `quantkit` run without a command.
 */
export function usageExitCode(error: CommanderError): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
  if (error.exitCode === 0) return 0;
  return 2;
}
