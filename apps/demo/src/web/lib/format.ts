/**
 * Number formatting for the page: byte sizes in decimal units (the deck's 28 GB is 28 x 10^9 bytes),
 * values with a fixed number of significant digits, and durations.
 */

const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB"] as const;

/**
 * A byte count in decimal (SI) units, three significant digits: 1 kB = 1000 B, as the deck counts
 * (7 x 10^9 parameters x 32 bits / (8 x 10^9) = 28 GB).
 *
 * @example
 * formatBytes(28e9)   // "28.0 GB"
 * formatBytes(358440) // "358 kB"
 * formatBytes(12)     // "12 B"
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0)
    throw new RangeError(`bytes must be finite and >= 0, got ${bytes}`);
  let unit = 0;
  let v = bytes;
  while (v >= 999.5 && unit < BYTE_UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(v)} B`;
  return `${formatSig(v, 3)} ${BYTE_UNITS[unit]}`;
}

/**
 * A number with `digits` significant digits, without exponent for magnitudes in [1e-4, 1e9), and
 * trailing zeros kept (so that 28 prints as "28.0" with 3 digits: the precision is part of the value).
 *
 * @example
 * formatSig(0.0123456, 3) // "0.0123"
 * formatSig(28, 3)        // "28.0"
 * formatSig(1.5e-7, 2)    // "1.5e-7"
 */
export function formatSig(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const a = Math.abs(value);
  if (a < 1e-4 || a >= 1e9) {
    const [m, e] = value.toExponential(digits - 1).split("e");
    return `${m}e${Number(e)}`;
  }
  return value.toPrecision(digits);
}

/**
 * An integer with thin thousands separators (narrow no-break spaces, as SI typography does).
 *
 * @example
 * formatInt(89610) // "89 610"
 */
export function formatInt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? "-" : "";
  const digits = Math.round(Math.abs(value)).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}

/**
 * A duration in the unit that keeps it readable: microseconds, milliseconds or seconds.
 *
 * @example
 * formatMs(0.0421) // "42.1 µs"
 * formatMs(12.34)  // "12.3 ms"
 * formatMs(2500)   // "2.50 s"
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${formatSig(ms * 1000, 3)} µs`;
  if (ms < 1000) return `${formatSig(ms, 3)} ms`;
  return `${formatSig(ms / 1000, 3)} s`;
}

/**
 * A fraction in [0, 1] as a percentage with one decimal.
 *
 * @example
 * formatPercent(0.9634) // "96.3 %"
 */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/**
 * The decimal byte unit that reads best for a size, and its divisor, so that a chart of several
 * sizes can share one axis unit.
 *
 * @example
 * byteUnit(28e9)   // { unit: "GB", divisor: 1e9 }
 * byteUnit(358440) // { unit: "kB", divisor: 1e3 }
 */
export function byteUnit(bytes: number): { unit: string; divisor: number } {
  let unit = 0;
  let v = Math.abs(bytes);
  while (v >= 999.5 && unit < BYTE_UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  return { unit: BYTE_UNITS[unit]!, divisor: 1000 ** unit };
}

/**
 * A float32 value without float64 noise: the shortest decimal (up to 9 significant digits) that reads
 * back as the same float32.
 *
 * @example
 * formatF32(Math.fround(0.1))       // "0.1"
 * formatF32(Math.fround(200 / 255)) // "0.78431374"
 */
export function formatF32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const f = Math.fround(value);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

/**
 * A log axis tick: 1, 2 and 5 times a power of ten, short ("5e-5", "0.02", "100"), others blank.
 *
 * @example
 * formatLogTick(0.00005) // "5e-5"
 * formatLogTick(0.0003)  // ""
 */
export function formatLogTick(value: number): string {
  if (!(value > 0)) return "";
  const e = Math.floor(Math.log10(value) + 1e-9);
  const m = Math.round(value / 10 ** e);
  if (![1, 2, 5].includes(m) || Math.abs(value / 10 ** e - m) > 1e-6 * m) return "";
  if (e >= -3 && e <= 5) return String(Number((m * 10 ** e).toPrecision(1)));
  return `${m}e${e}`;
}

/**
 * An ordinal in English: 1st, 2nd, 3rd, 11th, 99.99th (a fraction takes "th").
 *
 * @example
 * formatOrdinal(1) // "1st"
 * formatOrdinal(0.01) // "0.01th"
 */
export function formatOrdinal(value: number): string {
  const text = String(Number(value.toPrecision(6)));
  if (!Number.isInteger(value)) return `${text}th`;
  const mod100 = Math.abs(value) % 100;
  const mod10 = Math.abs(value) % 10;
  const suffix =
    mod100 >= 11 && mod100 <= 13 ? "th" : mod10 === 1 ? "st" : mod10 === 2 ? "nd" : mod10 === 3 ? "rd" : "th";
  return `${text}${suffix}`;
}
