import { Linear, type Module } from "@quantkit/nn";
import { fuseModules } from "./fuseModules";
import { ObservedConv2d } from "./ObservedConv2d";
import { ObservedLinear } from "./ObservedLinear";
import { ObserverModule } from "./ObserverModule";
import { PreparedModel } from "./PreparedModel";
import { defaultQConfig } from "./presets";
import { QuantStub } from "./QuantStub";
import { assertQConfig, createObserverFrom, type QConfig } from "./qconfig";
import { swapFusedLayers } from "./swapFusedLayers";

/**
 * Prepares a float model for post-training quantization, as PyTorch's eager mode does after
 * `fuse_modules` and with `QuantStub` / `DeQuantStub` around the model: a copy of the model is fused
 * ({@link fuseModules}: Linear+ReLU, Conv2d+BatchNorm2d(+ReLU) folded), a `QuantStub` with an
 * activation observer is put at the input ("quant"), every fused Linear/Conv2d becomes an
 * {@link ObservedLinear} / {@link ObservedConv2d} that observes its output, and a `DeQuantStub` ends
 * the model ("dequant"). ReLU, MaxPool2d, Flatten and Identity stay: in the integer model they work on
 * the uint8 codes directly (max and reshaping commute with a monotone quantization). The model given is
 * not changed.
 *
 * Then run {@link calibrate} (or the prepared model's forward) over representative data and
 * `convert` it.
 *
 * Errors: a qconfig whose observers do not fit the integer kernels (activations must be uint8 per
 * tensor, weights symmetric int8), unsupported layers, names "quant"/"dequant" already in use.
 *
 * @example
 * const prepared = prepare(model, defaultQConfig);
 * await calibrate(prepared, batches(train, { batchSize: 100 }));
 * const quantized = convert(prepared);
 */
export function prepare(model: Module, qconfig: QConfig = defaultQConfig): PreparedModel {
  assertQConfig(qconfig, "prepare");
  const fused = fuseModules(model, "prepare");
  const activation = () =>
    new ObserverModule(createObserverFrom(qconfig.activation, "prepare: qconfig.activation"));
  swapFusedLayers(fused, (layer, relu) =>
    layer instanceof Linear
      ? new ObservedLinear(layer, relu, qconfig.weight, activation())
      : new ObservedConv2d(layer, relu, qconfig.weight, activation()),
  );
  const prepared = new PreparedModel(new QuantStub(activation()), fused, qconfig, "prepare");
  prepared.eval();
  return prepared;
}
