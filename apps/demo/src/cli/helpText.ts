// The examples `quantkit --help` and each command's --help end with: plain commands a new user can
// paste, each with what it does.

export const HELP_EXAMPLES = {
  main: `
Examples:
  quantkit run                        train, quantize to int8 and compare (about a minute)
  quantkit run --bits 4               the same at 4 bits
  quantkit explain 0.1                how 0.1 is stored in float32, float16, bfloat16, float8
  quantkit quantize weights.npy       quantize the tensors of a file and show the error

Run "quantkit <command> --help" for a command's options.
`,
  run: `
Examples:
  quantkit run                                  the default: 8 bits, bundled MNIST digits, 1 epoch
  quantkit run --bits 4 --qat finetune          4 bits, and only QAT that starts from the trained model
  quantkit run --epochs 3 --save out/           train longer and keep the models in out/
  quantkit run --dataset fashion-mnist          clothing pictures instead of digits (Debian's dataset-fashion-mnist)
  quantkit run --json > results.json            the results as JSON, for scripts

The table has one row per model: "fp32" is the float model; "ptq" quantizes it after training with
PyTorch's default settings, "ptq best" with the range choice that did best on held-out training data;
"qat" rows train with simulated rounding. "vs fp32" is the change in accuracy, in percentage points.
`,
  explain: `
Examples:
  quantkit explain 0.15625                      the deck's example: sign, exponent, mantissa
  quantkit explain 65504 --formats float16      the largest float16
  quantkit explain -3 --json                    as JSON
`,
  quantize: `
Examples:
  quantkit quantize weights.npy                         8-bit, one scale for the whole tensor
  quantkit quantize model.safetensors --bits 4 --scheme symmetric --granularity channel
  quantkit quantize x.json --calibrator all             compare every way of choosing the range
`,
} as const;
