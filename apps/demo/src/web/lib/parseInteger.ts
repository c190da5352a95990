/**
 * Parses what a learner typed as an integer: decimal, or 0b / 0x literals, with an optional sign and
 * digit separators (spaces, underscores). Returns an error message instead of throwing.
 *
 * @example
 * parseInteger("-3")      // { ok: true, value: -3 }
 * parseInteger("0b1011")  // { ok: true, value: 11 }
 * parseInteger("1 000")   // { ok: true, value: 1000 }
 * parseInteger("2.5")     // { ok: false, error: "not an integer: 2.5" }
 */
export function parseInteger(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim().replace(/[\s_]/g, "");
  if (t === "" || t === "-" || t === "+") return { ok: false, error: "type an integer" };
  const m = /^([+-]?)(0b[01]+|0x[0-9a-f]+|\d+)$/i.exec(t);
  if (!m) return { ok: false, error: `not an integer: ${text.trim()}` };
  const sign = m[1] === "-" ? -1 : 1;
  const body = m[2]!;
  const magnitude = /^0b/i.test(body)
    ? Number.parseInt(body.slice(2), 2)
    : /^0x/i.test(body)
      ? Number.parseInt(body.slice(2), 16)
      : Number(body);
  if (!Number.isSafeInteger(magnitude)) return { ok: false, error: "too large: keep it within ±2^53" };
  return { ok: true, value: sign * magnitude + 0 };
}
