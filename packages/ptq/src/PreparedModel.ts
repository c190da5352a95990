import { type Module, Sequential } from "@quantkit/nn";
import type { QuantStub } from "./QuantStub";
import type { QConfig } from "./qconfig";

/**
 * A model ready for calibration (what `prepare` returns) or for quantization-aware training (what
 * `prepareQat` of @quantkit/qat returns): a Sequential that starts with a `QuantStub` named "quant",
 * ends with a `DeQuantStub` named "dequant", and holds fused layers with their observers or fake
 * quantizers in between. `sources` maps each fused layer's path to the float model's modules it
 * stands for; `convert` turns it into a `QuantizedModel`.
 *
 * @example
 * const prepared = prepare(createMlp([784, 100, 10]));
 * prepared.names()          // ["quant", "fc1", "relu1", "fc2", "dequant"]
 * prepared.quantStub.inputShape // [784] once it has run
 */
export class PreparedModel extends Sequential {
  constructor(
    children: ReadonlyArray<readonly [string, Module]>,
    readonly qconfig: QConfig,
    readonly sources: ReadonlyMap<string, readonly string[]>,
  ) {
    super(children);
  }

  /** The QuantStub at the input. */
  get quantStub(): QuantStub {
    return this.get("quant") as QuantStub;
  }
}
