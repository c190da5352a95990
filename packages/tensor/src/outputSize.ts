/** Options of {@link convOutputSize} and {@link poolOutputSize} along one axis. */
export interface WindowOptions {
  /** Step between windows. Default 1. */
  stride?: number;
  /** Zero padding: one number for both sides, or [before, after]. Default 0. */
  padding?: number | readonly [number, number];
  /** Spacing between the window's taps. Default 1. */
  dilation?: number;
}

function padsOf(padding: number | readonly [number, number]): [number, number] {
  return typeof padding === "number" ? [padding, padding] : [padding[0], padding[1]];
}

/**
 * The output length of a convolution along one axis, PyTorch's formula:
 * floor((size + padBefore + padAfter - dilation (kernel - 1) - 1) / stride) + 1. May be 0 or negative
 * when the window does not fit: callers say so in their own words. Valid for positive integers.
 *
 * @example
 * convOutputSize(28, 3)                     // 26
 * convOutputSize(28, 3, { padding: 1 })     // 28
 * convOutputSize(28, 3, { stride: 2, padding: [0, 1] }) // 14
 */
export function convOutputSize(size: number, kernel: number, options: WindowOptions = {}): number {
  const { stride = 1, padding = 0, dilation = 1 } = options;
  const [before, after] = padsOf(padding);
  return Math.floor((size + before + after - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * The output length of a pooling window along one axis, PyTorch's `pooling_output_shape`: the
 * convolution's formula, rounded up with `ceilMode`, where a last window must still start inside the
 * input or the left padding.
 *
 * @example
 * poolOutputSize(5, 2, { stride: 2 })                   // 2
 * poolOutputSize(5, 2, { stride: 2, ceilMode: true })   // 3
 */
export function poolOutputSize(
  size: number,
  kernel: number,
  options: WindowOptions & { ceilMode?: boolean } = {},
): number {
  const { stride = 1, padding = 0, dilation = 1, ceilMode = false } = options;
  const [before, after] = padsOf(padding);
  const span = size + before + after - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + before) out--;
  return out;
}
