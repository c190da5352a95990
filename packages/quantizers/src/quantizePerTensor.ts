import { _divides, _rejectUnknownKeys, _runQuantize } from "./_engine";
import { _HALF_TO_EVEN } from "./_kernels";
import { _assertFloat32, _plan } from "./_plan";
import { allocateCodes, type CodesOf } from "./allocateCodes";
import { assertDType, DTYPES, type DType } from "./dtype";

/**
 * PyTorch's `torch.quantize_per_tensor(x, scale, zero_point, dtype).int_repr()` on the CPU, bit for
 * bit for the same float32 inputs: q = clamp(zeroPoint + nearbyint(float32(x * float32(1 /
 * float32(scale)))), the dtype's full range), ties to even. `scale` is rounded to float32 first, as
 * PyTorch does. Returns the integer codes: Uint8Array for quint8 (and quint4 / quint2, one code per
 * byte: `packInt4` / `packInt2` give PyTorch's quint4x2 / quint2x4 bytes), Int8Array for qint8 (and
 * qint4 / qint2), Int32Array for qint32.
 *
 * One deliberate difference: fbgemm's AVX2 kernel adds the zero point in int32 after saturating x * inv
 * at 2^31 - 128, which wraps to a negative value (and so clamps to 0) for quint8 zero points above 127
 * when x * inv >= 2^31 - zeroPoint; quantkit clamps such values to quantMax, as fbgemm's scalar tail and
 * aten's ARM and reference kernels do.
 *
 * `options.arithmetic: "onnx"` computes ONNX's QuantizeLinear instead: clamp(zeroPoint +
 * nearbyint(float32(x / scale))), the codes onnxruntime writes for the same float32 inputs.
 *
 * @example
 * import { quantizePerTensor } from "@quantkit/quantizers";
 * quantizePerTensor(new Float32Array([-1, 0, 0.5, 2]), 3 / 255, 85, "quint8") // Uint8Array [0, 85, 127, 255]
 * quantizePerTensor(new Float32Array([0.25, -0.25, 0.75]), 0.5, 0, "qint8")   // Int8Array [0, 0, 2] (ties to even)
 * quantizePerTensor(Float32Array.of(0.273939937), 0.00214854861, 0, "quint8")                          // Uint8Array [128]
 * quantizePerTensor(Float32Array.of(0.273939937), 0.00214854861, 0, "quint8", { arithmetic: "onnx" }) // Uint8Array [127]
 */
export function quantizePerTensor<D extends DType>(
  x: Float32Array,
  scale: number,
  zeroPoint: number,
  dtype: D,
  options: { arithmetic?: "pytorch" | "onnx" } = {},
): CodesOf<D> {
  _assertFloat32(x, "x");
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  _rejectUnknownKeys(options, ["arithmetic"]);
  const divide = _divides(options.arithmetic);
  assertDType(dtype);
  if (typeof scale !== "number") throw new TypeError(`scale must be a number, got ${typeof scale}`);
  if (typeof zeroPoint !== "number")
    throw new TypeError(`zeroPoint must be a number, got ${typeof zeroPoint}`);
  const { quantMin, quantMax } = DTYPES[dtype];
  const plan = _plan(
    x.length,
    [x.length],
    { scale: [scale], zeroPoint: [zeroPoint], quantMin, quantMax, qscheme: "per_tensor_affine", dtype },
    "x",
    "",
  );
  const codes = allocateCodes(plan.n, quantMin, quantMax, dtype);
  _runQuantize(x, codes, plan, _HALF_TO_EVEN, null, "x", divide);
  return codes as CodesOf<D>;
}
