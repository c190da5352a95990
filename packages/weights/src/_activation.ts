/** The activations an MLP block may apply between its projections (PyTorch's names). */
export type Activation = "gelu" | "geluTanh" | "relu" | "silu";

export const _ACTIVATIONS: readonly Activation[] = ["gelu", "geluTanh", "relu", "silu"];

/**
 * erf(x), relative error below 1.2e-7 (float32's precision): erfc by the Chebyshev-fitted exponential of
 * Numerical Recipes (erfcc), t = 1 / (1 + |x| / 2).
 */
export function _erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** Applies `activation` in place. */
export function _activate(v: Float64Array, activation: Activation): void {
  switch (activation) {
    case "gelu":
      for (let i = 0; i < v.length; i++) v[i] = 0.5 * v[i]! * (1 + _erf(v[i]! * Math.SQRT1_2));
      return;
    case "geluTanh": {
      const c = Math.sqrt(2 / Math.PI);
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        v[i] = 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)));
      }
      return;
    }
    case "relu":
      for (let i = 0; i < v.length; i++) if (!(v[i]! > 0)) v[i] = 0;
      return;
    case "silu":
      for (let i = 0; i < v.length; i++) v[i] = v[i]! / (1 + Math.exp(-v[i]!));
      return;
  }
}
