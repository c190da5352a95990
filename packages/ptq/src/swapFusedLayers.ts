import { Conv2d, Linear, type Module, Sequential } from "@quantkit/nn";
import { ConvReLU2d } from "./ConvReLU2d";
import { LinearReLU } from "./LinearReLU";

/**
 * Replaces, in place and in order, every Linear and Conv2d of a fused model (what {@link fuseModules}
 * returns, nested Sequentials included) with what `wrap` makes of it: a `LinearReLU` / `ConvReLU2d`
 * is passed as its layer with `relu` true, a plain Linear / Conv2d with `relu` false. Other modules
 * stay. This is how `prepare` puts observed layers in and qat's `prepareQat` its QAT layers.
 *
 * @example
 * const fused = fuseModules(createMlp([4, 3, 2])); // fc1 is a LinearReLU, fc2 a Linear
 * const seen: Array<[string, boolean]> = [];
 * swapFusedLayers(fused, (layer, relu) => (seen.push([layer.constructor.name, relu]), new Identity()));
 * seen          // [["Linear", true], ["Linear", false]]
 * fused.names() // ["fc1", "relu1", "fc2"], fc1 and fc2 now Identity
 */
export function swapFusedLayers(
  model: Sequential,
  wrap: (layer: Linear | Conv2d, relu: boolean) => Module,
): void {
  for (const [name, m] of model.children()) {
    if (m instanceof Sequential) swapFusedLayers(m, wrap);
    else if (m instanceof LinearReLU) model.set(name, wrap(m.linear, true));
    else if (m instanceof ConvReLU2d) model.set(name, wrap(m.conv, true));
    else if (m instanceof Linear || m instanceof Conv2d) model.set(name, wrap(m, false));
  }
}
