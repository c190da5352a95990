import { _decodeScalar, _encodeScalar, type _FloatParams } from "./_floatParams";
import type { FloatExplanation, FloatFields, FloatKind, FloatOutcome } from "./types";

/** A number as a reader writes it: -0 keeps its sign. */
function show(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/** A value with an explicit sign: "+0.15625", "-0", "+Infinity", "NaN". */
function showSigned(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  return v > 0 || Object.is(v, 0) ? `+${show(v)}` : show(v);
}

/** A rounding error in four significant digits, with its sign. */
function showError(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return showSigned(v);
  const a = Math.abs(v);
  const digits = a < 1e-2 || a >= 1e6 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  return v > 0 ? `+${digits}` : digits;
}

export function _fieldsFromBits(p: _FloatParams, bits: number): FloatFields {
  const m = p.mantissaBits;
  const sign = bits >= p.signBit ? 1 : 0;
  const abs = bits - sign * p.signBit;
  const biasedExponent = Math.floor(abs / p.implicit);
  const mantissaBits = abs - biasedExponent * p.implicit;
  const value = _decodeScalar(p, bits);
  let kind: FloatKind;
  if (Number.isNaN(value)) kind = "nan";
  else if (!Number.isFinite(value)) kind = "infinity";
  else if (biasedExponent === 0) kind = mantissaBits === 0 ? "zero" : "subnormal";
  else kind = "normal";
  const fraction = mantissaBits / p.implicit;
  const special = kind === "nan" || kind === "infinity";
  const E = p.exponentBits;
  return {
    sign,
    biasedExponent,
    exponent: biasedExponent === 0 ? p.emin : biasedExponent - p.bias,
    mantissaBits,
    mantissa: special ? Number.NaN : biasedExponent === 0 ? fraction : 1 + fraction,
    kind,
    bits,
    hex: `0x${bits.toString(16).padStart(Math.ceil(p.totalBits / 4), "0")}`,
    bitString: `${sign} ${biasedExponent.toString(2).padStart(E, "0")} ${mantissaBits.toString(2).padStart(m, "0")}`,
    value,
  };
}

export function _explain(p: _FloatParams, input: number): FloatExplanation {
  const f = _fieldsFromBits(p, _encodeScalar(p, input));
  const { value } = f;
  let outcome: FloatOutcome;
  if (Number.isNaN(input)) outcome = "nan";
  else if (value === input) outcome = "exact";
  else if (f.kind === "nan" || f.kind === "infinity") outcome = "overflow";
  else if (value === 0) outcome = "underflow";
  else outcome = "rounded";
  const error = outcome === "exact" ? 0 : value - input;
  const relativeError = outcome === "exact" ? 0 : error / Math.abs(input);

  const biasText = p.bias >= 0 ? `-${p.bias}` : `+${-p.bias}`;
  const s = f.sign ? "-1" : "+1";
  let formula: string;
  if (f.kind === "normal") formula = `(${s}) x 2^(${f.biasedExponent}${biasText}) x ${f.mantissa} = `;
  else if (f.kind === "subnormal" || f.kind === "zero")
    formula = `(${s}) x 2^(1${biasText}) x ${f.mantissa} = `;
  else formula = "";

  let note: string;
  if (outcome === "exact") {
    note = Object.is(input, -0) && !Object.is(value, -0) ? ` (exact; ${p.name} has no -0)` : " (exact)";
  } else if (outcome === "rounded") {
    note = ` (rounded${f.kind === "subnormal" ? " to a subnormal" : ""}: error ${showError(error)}, relative ${showError(relativeError)})`;
  } else if (outcome === "underflow") {
    note = ` (underflow: below half the smallest subnormal ${show(p.minSubnormal)}, error ${showError(error)})`;
  } else if (outcome === "overflow") {
    const max = p.maxNormal;
    note =
      f.kind === "infinity"
        ? ` (overflow: rounds past the largest finite ${show(max)})`
        : ` (overflow: ${p.name} has no infinity; past the largest finite ${show(max)} is NaN)`;
  } else {
    note = "";
  }
  const text = `${show(input)} (${p.name}) = ${f.bitString} = ${formula}${showSigned(value)}${note}`;
  return { ...f, format: p.name, input, error, relativeError, outcome, text };
}
