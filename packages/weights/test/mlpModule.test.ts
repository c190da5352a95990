import { transpose2d } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { awq, awqScale, mlpModule, quantizeBlockwise } from "../src/index";
import { correlatedActivations } from "./_activations";
import { gaussian } from "./_gaussian";

describe("mlpModule", () => {
  it("known answers of each activation (one input, identity weight): gelu, geluTanh, relu, silu", () => {
    // Python: 0.5 x (1 + math.erf(x / sqrt 2)); the tanh form; x / (1 + exp(-x)).
    const xs = [-3, -0.5, 0.25, 1, 2.5];
    const want = {
      gelu: [
        -0.00404969409489031, -0.15426876936299344, 0.14967658142073093, 0.8413447460685429,
        2.4844758366855597,
      ],
      geluTanh: [
        -0.0036373920817729943, -0.15428599017485606, 0.149675350701685, 0.8411919906082768,
        2.484915733910001,
      ],
      silu: [
        -0.14227761953270035, -0.1887703343990727, 0.14054412522144952, 0.7310585786300049,
        2.3103545499468914,
      ],
      relu: [0, 0, 0.25, 1, 2.5],
    };
    for (const [activation, values] of Object.entries(want)) {
      const y = mlpModule({ activation: activation as never }).forward(Float32Array.from(xs), 5, [
        Float32Array.of(1),
      ]);
      values.forEach((v, i) => {
        expect(Math.abs(y[i]! - v), `${activation}(${xs[i]})`).toBeLessThan(2e-7 * Math.max(1, Math.abs(v)));
      });
    }
  });

  it("equals a slow direct reference: gated (act(gate) * up), biases, the down projection, both layouts", () => {
    const K = 12;
    const H = 20;
    const rows = 7;
    const x = gaussian(1, rows * K);
    const [wg, wu] = [gaussian(2, H * K, 0.4), gaussian(3, H * K, 0.4)];
    const [bg, bu] = [gaussian(4, H), gaussian(5, H)];
    const wd = gaussian(6, 5 * H, 0.3);
    const bd = gaussian(7, 5);
    const silu = (v: number) => v / (1 + Math.exp(-v));
    const want: number[] = [];
    for (let r = 0; r < rows; r++) {
      const h = Array.from({ length: H }, (_, n) => {
        let g = bg[n]!;
        let u = bu[n]!;
        for (let k = 0; k < K; k++) {
          g += x[r * K + k]! * wg[n * K + k]!;
          u += x[r * K + k]! * wu[n * K + k]!;
        }
        return silu(g) * u;
      });
      for (let n = 0; n < 5; n++) want.push(h.reduce((s, v, j) => s + v * wd[n * H + j]!, bd[n]!));
    }
    const nk = mlpModule({
      activation: "silu",
      gated: true,
      bias: [bg, bu],
      output: { weight: wd, shape: [5, H], bias: bd },
    }).forward(x, rows, [wg, wu]);
    const kn = mlpModule({
      activation: "silu",
      gated: true,
      bias: [bg, bu],
      layout: "KN",
      output: { weight: transpose2d(wd, 5, H), shape: [H, 5], bias: bd },
    }).forward(x, rows, [transpose2d(wg, H, K), transpose2d(wu, H, K)]);
    want.forEach((v, i) => {
      expect(Math.abs(nk[i]! - v)).toBeLessThan(1e-9);
      expect(kn[i]).toBe(nk[i]);
    });
  });

  it("rejects an unknown activation, unknown keys and the wrong number of weights", () => {
    expect(() => mlpModule({ activation: "tanh" as never })).toThrow(/activation must be one of gelu/);
    expect(() => mlpModule({ activation: "gelu", heads: 2 } as never)).toThrow(/heads/);
    const w = gaussian(8, 16);
    expect(() => mlpModule({ activation: "gelu", gated: true }).forward(gaussian(9, 8), 2, [w])).toThrow(
      /\[Wgate, Wup\]/,
    );
  });
});

describe("awqScale through an MLP module", () => {
  const K = 64;
  const H = 128;
  const rows = 256;
  const wd = gaussian(20, K * H, 0.1);
  const module = mlpModule({ activation: "gelu", output: { weight: wd, shape: [K, H] } });
  const wu = gaussian(21, H * K, 0.1);
  const layers = [{ weight: wu, shape: [H, K] as [number, number] }];

  it("alpha 0's loss is the MLP output MSE with up quantized by RTN; the chosen alpha has the smallest", () => {
    const x = correlatedActivations(22, K).sample(rows);
    const s = awqScale(layers, x, { module, nGrid: 10 });
    const reference = module.forward(x, rows, [wu]);
    const y = module.forward(x, rows, [quantizeBlockwise(wu, [H, K]).dequantized]);
    const rtn = y.reduce((a, v, i) => a + (v - reference[i]!) ** 2, 0) / y.length;
    expect(Math.abs(s.losses[0]! - rtn) / rtn).toBeLessThan(1e-6);
    expect(s.losses[Math.round(s.alpha * 10)]).toBe(Math.min(...s.losses));
  });

  it("with outlier channels it beats RTN on held-out rows of the MLP's output", () => {
    const source = correlatedActivations(23, K);
    const outliers = (x: Float32Array) => x.map((v, i) => ([5, 22, 47].includes(i % K) ? 20 * v : v));
    const x = outliers(source.sample(rows));
    const held = outliers(source.sample(rows));
    const s = awqScale(layers, x, { module });
    const reference = module.forward(held, rows, [wu]);
    const mse = (w: Float32Array) => {
      const y = module.forward(held, rows, [w]);
      return y.reduce((a, v, i) => a + (v - reference[i]!) ** 2, 0) / y.length;
    };
    const rtn = mse(quantizeBlockwise(wu, [H, K]).dequantized);
    const scaled = mse(awq(wu, [H, K], x, { inputScale: s.inputScale, clip: false }).equivalentWeight);
    expect(s.alpha).toBeGreaterThan(0);
    expect(scaled).toBeLessThan(0.7 * rtn);
  });
});
