import { layerMultipliers } from "@quantkit/kernels";
import { _checkActivation } from "./_activation";
import { _sameMultipliers, _weightScaleArg } from "./_quantizeLayer";
import type { ActivationQParams, IntegerConv2d, IntegerLinear } from "./integerLayers";

/**
 * The checks of a Linear/Conv2d in `QuantizedModel`'s constructor: its output qparams in range, its
 * kernel's input zero point the input's, its output zero point the output's, its clamp inside the
 * output's range, its multipliers the ones the input, weight and output scales give (kernels'
 * `layerMultipliers`). RangeError naming the layer otherwise.
 */
export function _checkWeighted(layer: IntegerLinear | IntegerConv2d, input: ActivationQParams): void {
  const where = `QuantizedModel: layer "${layer.name}"`;
  const { kernel: k, output } = layer;
  _checkActivation(output, `${where} output`);
  if (k.inputZeroPoint !== input.zeroPoint) {
    throw new RangeError(
      `${where}: kernel.inputZeroPoint ${k.inputZeroPoint} is not its input's zero point ${input.zeroPoint} (the previous layer's output)`,
    );
  }
  if (k.outputZeroPoint !== output.zeroPoint) {
    throw new RangeError(
      `${where}: kernel.outputZeroPoint ${k.outputZeroPoint} is not output.zeroPoint ${output.zeroPoint}`,
    );
  }
  if (k.outputMin < output.quantMin || k.outputMax > output.quantMax) {
    throw new RangeError(
      `${where}: the kernel's clamp [${k.outputMin}, ${k.outputMax}] leaves the output's range [${output.quantMin}, ${output.quantMax}]`,
    );
  }
  let expected: { multiplier: Int32Array; shift: Int32Array };
  try {
    expected = layerMultipliers({
      inputScale: input.scale,
      weightScale: _weightScaleArg(layer.weight),
      outputScale: output.scale,
    });
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`);
  }
  if (!_sameMultipliers(k, expected)) {
    throw new RangeError(
      `${where}: the kernel's multipliers are not the ones its scales give (input scale ${input.scale}, the previous layer's output; weight scale${layer.weight.scale.length === 1 ? ` ${layer.weight.scale[0]}` : "s per channel"}; output scale ${output.scale})`,
    );
  }
}
