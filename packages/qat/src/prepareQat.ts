import { Linear, type Module } from "@quantkit/nn";
import {
  assertQConfig,
  defaultQatQConfig,
  fuseModules,
  PreparedModel,
  type QConfig,
  QuantStub,
  swapFusedLayers,
} from "@quantkit/ptq";
import { FakeQuantize } from "./FakeQuantize";
import { QatConv2d } from "./QatConv2d";
import { QatLinear } from "./QatLinear";

/**
 * Prepares a float model for quantization-aware training, as PyTorch's `prepare_qat` after
 * `fuse_modules` with `QuantStub` / `DeQuantStub` around the model: a fused copy of the model
 * (@quantkit/ptq's `fuseModules`: Linear+ReLU, Conv2d+BatchNorm2d(+ReLU) folded with the running
 * statistics), a `QuantStub` whose FakeQuantize fake-quantizes the input ("quant"), every fused
 * Linear/Conv2d replaced by a {@link QatLinear} / {@link QatConv2d} (fake-quantized weight and output,
 * straight-through estimator), and a `DeQuantStub` ("dequant"). The parameters keep the float model's
 * names ("fc1.weight"), so `loadStateDict(qat, stateDict(trained))` fine-tunes trained fp32 weights.
 * The model given is not changed; the result is in training mode.
 *
 * Train it with @quantkit/nn's `fit` like any model, optionally freeze the ranges
 * (`disableObserver`), then `convert` (of @quantkit/ptq, re-exported here) gives the same kind of
 * integer model as PTQ.
 *
 * @example
 * const qat = prepareQat(createMlp([784, 100, 100, 10], { seed: 0 }), defaultQatQConfig); // from scratch
 * await fit(qat, loader, { optimizer: new Adam(qat.parameters(), { lr: 1e-3 }) });
 * disableObserver(qat);
 * const quantized = convert(qat);
 */
export function prepareQat(model: Module, qconfig: QConfig = defaultQatQConfig): PreparedModel {
  assertQConfig(qconfig, "prepareQat");
  const fused = fuseModules(model, "prepareQat");
  const quant = new QuantStub(new FakeQuantize(qconfig.activation));
  swapFusedLayers(fused, (layer, relu) =>
    layer instanceof Linear ? new QatLinear(layer, relu, qconfig) : new QatConv2d(layer, relu, qconfig),
  );
  const prepared = new PreparedModel(quant, fused, qconfig, "prepareQat");
  prepared.train();
  return prepared;
}
