import { Flatten, Identity, MaxPool2d, type Module, ReLU, sequentialLeaves } from "@quantkit/nn";
import type { QParams } from "@quantkit/quantizers";
import { assertOptions } from "@quantkit/tensor";
import { _activationFrom } from "./_activation";
import { _quantizeConv2d, _quantizeLinear } from "./_quantizeLayer";
import { isConvertibleModule } from "./convertible";
import { DeQuantStub } from "./DeQuantStub";
import type { ActivationQParams, IntegerLayer } from "./integerLayers";
import { QuantizedModel } from "./QuantizedModel";
import { QuantStub } from "./QuantStub";
import { describeObserver, type QConfig } from "./qconfig";

/** Options of {@link convert}. */
export interface ConvertOptions {
  /** One sample's input shape, when the prepared model has not run (it remembers the last one). */
  inputShape?: readonly number[];
  /** Extra strings for the model's `info` (kept in saved files). */
  info?: Record<string, string>;
}

function qparamsOf(what: () => QParams, where: string): QParams {
  try {
    return what();
  } catch (error) {
    throw new RangeError(
      `${where} has no quantization parameters yet (calibrate or train the prepared model first): ${(error as Error).message}`,
    );
  }
}

/**
 * Converts a calibrated prepared model (`prepare` + `calibrate`, or a trained `prepareQat` model of
 * @quantkit/qat) into the integer-only {@link QuantizedModel}, as PyTorch's `convert` does:
 * - the QuantStub's observer gives the input's scale and zero point (uint8 codes);
 * - each fused Linear/Conv2d gets int8 weights from its weight observer (observed now, on the final
 *   weight, for PTQ; the fake quantizer's parameters for QAT), per tensor or per output channel, an
 *   int32 bias at scale s_in * s_w with zero point 0, the output scale and zero point from its
 *   activation observer, and fixed-point requantization multipliers (`prepareQuantizedLinear` /
 *   `prepareQuantizedConv2d` of @quantkit/kernels); a fused ReLU clamps at the output zero point and
 *   every output is clamped to its observer's [quantMin, quantMax];
 * - ReLU, MaxPool2d and Flatten work on the codes; Identity disappears; the DeQuantStub dequantizes.
 * The prepared model is not changed. Errors name the layer: nothing observed yet, qparams that do not
 * fit uint8/int8, a bias that overflows int32, an unsupported module.
 *
 * @example
 * const prepared = prepare(model, defaultQConfig);
 * await calibrate(prepared, calibrationBatches);
 * const quantized = convert(prepared);
 * quantized.predict(x, batch) // Int32Array of classes, integer-only inference
 */
export function convert(prepared: Module, options: ConvertOptions = {}): QuantizedModel {
  assertOptions(options, ["inputShape", "info"], "convert options");
  const leaves = sequentialLeaves(prepared);
  const first = leaves[0];
  const last = leaves[leaves.length - 1];
  if (first === undefined || !(first[1] instanceof QuantStub)) {
    throw new TypeError("convert: the model must start with a QuantStub (use prepare() or prepareQat())");
  }
  if (last === undefined || !(last[1] instanceof DeQuantStub)) {
    throw new TypeError("convert: the model must end with a DeQuantStub (use prepare() or prepareQat())");
  }
  const stub = first[1];
  const inputShape = options.inputShape ?? stub.inputShape;
  if (inputShape === null || inputShape === undefined) {
    throw new RangeError(
      "convert: the input shape is unknown: run the prepared model (calibrate) or pass options.inputShape",
    );
  }
  const sources = (prepared as { sources?: ReadonlyMap<string, readonly string[]> }).sources;
  const sourceOf = (path: string) => sources?.get(path)?.at(-1) ?? path;
  const input = _activationFrom(
    qparamsOf(() => stub.activationPostProcess.calculateQParams(), `convert: "${first[0]}"`),
    `convert: "${first[0]}"`,
  );
  let current: ActivationQParams = input;
  const layers: IntegerLayer[] = [];
  for (const [path, m] of leaves.slice(1, -1)) {
    const where = `convert: "${path}"`;
    if (isConvertibleModule(m)) {
      const output = _activationFrom(
        qparamsOf(() => m.activationPostProcess.calculateQParams(), where),
        where,
      );
      const source = {
        name: path,
        sourceName: sourceOf(path),
        relu: m.relu,
        weightQParams: m.weightQParams(),
        input: current,
        output,
        observedRange: m.activationPostProcess.observedRange(),
      };
      layers.push(
        m.quantizedKind === "linear"
          ? _quantizeLinear(m.float as never, source)
          : _quantizeConv2d(m.float as never, source),
      );
      current = output;
    } else if (m instanceof ReLU) {
      layers.push({ kind: "relu", name: path, sourceName: path });
    } else if (m instanceof MaxPool2d) {
      layers.push({
        kind: "maxpool2d",
        name: path,
        sourceName: path,
        kernelSize: m.kernelSize,
        stride: m.stride,
        padding: m.padding,
        dilation: m.dilation,
        ceilMode: m.ceilMode,
      });
    } else if (m instanceof Flatten) {
      layers.push({
        kind: "flatten",
        name: path,
        sourceName: path,
        startDim: m.startDim,
        endDim: m.endDim,
      });
    } else if (m instanceof Identity) {
      // a module fused away
    } else {
      throw new TypeError(
        `${where}: cannot convert ${m.constructor.name}; expected prepared layers (ObservedLinear, ObservedConv2d, QAT layers), ReLU, MaxPool2d, Flatten, Identity`,
      );
    }
  }
  if (!layers.some((l) => l.kind === "linear" || l.kind === "conv2d")) {
    throw new RangeError("convert: the model has no Linear or Conv2d layer to quantize");
  }
  const qconfig = (prepared as { qconfig?: QConfig }).qconfig;
  const info: Record<string, string> = {};
  if (qconfig !== undefined) {
    if (qconfig.name !== undefined) info.qconfig = qconfig.name;
    info.activation = describeObserver(qconfig.activation);
    info.weight = describeObserver(qconfig.weight);
  }
  return new QuantizedModel({
    inputShape,
    input,
    inputObservedRange: stub.activationPostProcess.observedRange(),
    layers,
    info: { ...info, ...options.info },
  });
}
