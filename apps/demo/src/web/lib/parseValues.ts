/**
 * Parses a list of numbers a learner typed (commas, spaces, semicolons or new lines between them).
 *
 * @example
 * parseValues("-50, 0 10;120\n150") // { ok: true, values: Float32Array [-50, 0, 10, 120, 150] }
 * parseValues("1, x")               // { ok: false, error: 'not a number: "x"' }
 */
export function parseValues(
  text: string,
  limits: { min?: number; max?: number } = {},
): { ok: true; values: Float32Array } | { ok: false; error: string } {
  const { min = 2, max = 64 } = limits;
  const parts = text.split(/[\s,;]+/).filter((p) => p !== "");
  for (const p of parts) {
    if (!Number.isFinite(Number(p))) return { ok: false, error: `not a number: ${JSON.stringify(p)}` };
  }
  if (parts.length < min) return { ok: false, error: `type at least ${min} numbers` };
  if (parts.length > max) return { ok: false, error: `at most ${max} numbers here, got ${parts.length}` };
  return { ok: true, values: Float32Array.from(parts, Number) };
}
