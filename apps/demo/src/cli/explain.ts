import {
  bfloat16,
  type FloatFormat,
  float8e4m3fn,
  float8e4m3fnuz,
  float8e5m2,
  float8e5m2fnuz,
  float16,
  float32,
  intRange,
  toBits,
} from "@quantkit/numeric";
import type { CliIo } from "./io";

/** Every float format `quantkit explain` covers, by the name `--formats` takes (PyTorch's dtype names). */
export const FLOAT_FORMATS: Readonly<Record<string, FloatFormat>> = {
  float32,
  float16,
  bfloat16,
  float8_e4m3fn: float8e4m3fn,
  float8_e5m2: float8e5m2,
  float8_e4m3fnuz: float8e4m3fnuz,
  float8_e5m2fnuz: float8e5m2fnuz,
};

/** The integer formats shown for an integer input. */
const INT_FORMATS: ReadonlyArray<[string, number, boolean]> = [
  ["int8", 8, true],
  ["uint8", 8, false],
  ["int16", 16, true],
  ["int32", 32, true],
];

/** Options of `quantkit explain`. */
export interface ExplainOptions {
  formats?: string[];
  json: boolean;
}

/** Parses the number argument: decimal, exponent, hex integers, inf/nan. */
export function parseNumberArgument(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^[-+]?(inf|infinity)$/.test(t))
    return t.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (t === "nan") return Number.NaN;
  const hex = /^([-+]?)0x([0-9a-f]+)$/.exec(t);
  if (hex) {
    const big = BigInt(`0x${hex[2]}`);
    const v = Number(big);
    if (BigInt(v) !== big)
      throw new RangeError(
        `"${text}" is not exactly a float64 (it would round to ${v}); explain reads float64 input`,
      );
    return (hex[1] === "-" ? -1 : 1) * v;
  }
  const v = Number(t);
  if (t === "" || Number.isNaN(v))
    throw new RangeError(`"${text}" is not a number (examples: 0.1, -2.5e-8, 65504, 0x7f, inf, nan)`);
  // The argument is read as a float64 first: say so when that already changed it.
  if (!Number.isFinite(v))
    throw new RangeError(`"${text}" overflows float64 (it would read as ${v}); write inf for infinity`);
  if (v === 0 && /[1-9]/.test(t.replace(/e.*$/, "")))
    throw new RangeError(`"${text}" underflows float64 (it would read as 0); the smallest float64 is 5e-324`);
  if (/^[-+]?\d+$/.test(t) && BigInt(t) !== BigInt(v))
    throw new RangeError(
      `"${text}" is not exactly a float64 (it would round to ${BigInt(v)}); explain reads float64 input`,
    );
  return v;
}

/**
 * `quantkit explain <number>`: the number in every float format (sign, exponent and mantissa bits,
 * the deck's formula with the numbers filled in, the rounding error), and for an integer its two's
 * complement patterns in the integer widths that hold it.
 */
export function explainCommand(text: string, o: ExplainOptions, io: CliIo): number {
  const value = parseNumberArgument(text);
  const names = o.formats ?? Object.keys(FLOAT_FORMATS);
  for (const n of names) {
    if (FLOAT_FORMATS[n] === undefined)
      throw new RangeError(`--formats: "${n}" is not one of ${Object.keys(FLOAT_FORMATS).join(", ")}`);
  }
  const floats = names.map((n) => FLOAT_FORMATS[n]!.explain(value));
  const ints = Number.isInteger(value)
    ? INT_FORMATS.filter(([, bits, signed]) => {
        const r = intRange(bits, signed);
        return value >= r.min && value <= r.max;
      }).map(([name, bits]) => ({ format: name, bits: toBits(value, bits) }))
    : [];
  if (o.json) {
    io.out(
      `${JSON.stringify({ input: text, value: Number.isFinite(value) ? value : String(value), floats, integers: ints }, null, 2)}\n`,
    );
    return 0;
  }
  for (const f of floats) io.out(`${f.text}\n`);
  for (const i of ints)
    io.out(`${text} (${i.format}) = ${i.bits}${i.format.startsWith("u") ? "" : " (two's complement)"}\n`);
  return 0;
}
