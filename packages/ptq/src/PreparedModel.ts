import { Sequential } from "@quantkit/nn";
import { DeQuantStub } from "./DeQuantStub";
import type { FusedModel } from "./fuseModules";
import type { QuantStub } from "./QuantStub";
import type { QConfig } from "./qconfig";

/**
 * A model ready for calibration (what `prepare` returns) or for quantization-aware training (what
 * `prepareQat` of @quantkit/qat returns): a Sequential that starts with a `QuantStub` named "quant",
 * ends with a `DeQuantStub` named "dequant", and holds the fused model's layers, with their observers
 * or fake quantizers, in between. `sources` (the fused model's) maps each fused layer's path to the
 * float model's modules it stands for; `convert` turns it into a `QuantizedModel`.
 *
 * The constructor puts the stubs around the fused layers and throws a RangeError, prefixed with
 * `where`, when the fused model already has a child named "quant" or "dequant".
 *
 * @example
 * const prepared = prepare(createMlp([784, 100, 10]));
 * prepared.names()          // ["quant", "fc1", "relu1", "fc2", "dequant"]
 * prepared.quantStub.inputShape // [784] once it has run
 */
export class PreparedModel extends Sequential {
  readonly sources: ReadonlyMap<string, readonly string[]>;

  constructor(
    quant: QuantStub,
    fused: FusedModel,
    readonly qconfig: QConfig,
    where = "PreparedModel",
  ) {
    for (const reserved of ["quant", "dequant"]) {
      if (fused.has(reserved))
        throw new RangeError(`${where}: the model already has a child named "${reserved}"; rename it`);
    }
    super([["quant", quant], ...fused.children(), ["dequant", new DeQuantStub()]]);
    this.sources = fused.sources;
  }

  /** The QuantStub at the input. */
  get quantStub(): QuantStub {
    return this.get("quant") as QuantStub;
  }
}
