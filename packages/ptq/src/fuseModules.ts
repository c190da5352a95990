import {
  BatchNorm2d,
  Conv2d,
  foldBatchNorm,
  Identity,
  Linear,
  type Module,
  ReLU,
  Sequential,
} from "@quantkit/nn";
import { _cloneConv2d, _cloneLinear, _cloneTree, _SUPPORTED } from "./_clone";
import { ConvReLU2d } from "./ConvReLU2d";
import { LinearReLU } from "./LinearReLU";

/**
 * A fused copy of a model (what {@link fuseModules} returns): a Sequential whose `sources` map each
 * fused layer's dotted path to the paths of the original modules it replaces, in order
 * (`"fc1" -> ["fc1", "relu1"]`); the last one is where the float model computes the same output.
 *
 * @example
 * const fused = fuseModules(createMlp([784, 100, 10]));
 * fused.sources.get("fc1") // ["fc1", "relu1"]
 */
export class FusedModel extends Sequential {
  constructor(
    children: ReadonlyArray<readonly [string, Module]>,
    readonly sources: ReadonlyMap<string, readonly string[]>,
  ) {
    super(children);
  }
}

const join = (prefix: string, name: string) => (prefix === "" ? name : `${prefix}.${name}`);

function fuseChildren(
  seq: Sequential,
  prefix: string,
  sources: Map<string, string[]>,
  where: string,
): Array<readonly [string, Module]> {
  const kids = seq.children();
  const out: Array<readonly [string, Module]> = [];
  for (let i = 0; i < kids.length; i++) {
    const [name, m] = kids[i]!;
    const path = join(prefix, name);
    const next = kids[i + 1];
    if (m instanceof Sequential) {
      out.push([name, new Sequential(fuseChildren(m, path, sources, where))]);
    } else if (m instanceof Linear) {
      if (next !== undefined && next[1] instanceof ReLU) {
        out.push([name, new LinearReLU(_cloneLinear(m))], [next[0], new Identity()]);
        sources.set(path, [path, join(prefix, next[0])]);
        i++;
      } else {
        out.push([name, _cloneLinear(m)]);
        sources.set(path, [path]);
      }
    } else if (m instanceof Conv2d) {
      const names = [path];
      let conv: Conv2d;
      let j = i + 1;
      const bn = kids[j];
      if (bn !== undefined && bn[1] instanceof BatchNorm2d) {
        conv = _cloneConv2d(foldBatchNorm(m, bn[1]), path);
        names.push(join(prefix, bn[0]));
        j++;
      } else {
        conv = _cloneConv2d(m, path);
      }
      const relu = kids[j];
      const fuseRelu = relu !== undefined && relu[1] instanceof ReLU;
      if (fuseRelu) {
        names.push(join(prefix, relu[0]));
        j++;
      }
      out.push([name, fuseRelu ? new ConvReLU2d(conv) : conv]);
      for (let k = i + 1; k < j; k++) out.push([kids[k]![0], new Identity()]);
      sources.set(path, names);
      i = j - 1;
    } else if (m instanceof BatchNorm2d) {
      throw new RangeError(
        `${where}: BatchNorm2d "${path}" must directly follow a Conv2d to be folded into it`,
      );
    } else {
      out.push([name, _cloneTree(m, path, where)]);
      if (m instanceof LinearReLU || m instanceof ConvReLU2d) sources.set(path, [path]);
    }
  }
  return out;
}

/**
 * Fuses a float model for quantization, as PyTorch's `fuse_modules` does but finding the patterns by
 * itself, inside every Sequential: `Linear, ReLU` becomes a {@link LinearReLU}; `Conv2d, BatchNorm2d`
 * is folded into one Conv2d (nn's `foldBatchNorm`, with the running statistics: eval-mode
 * BatchNorm); `Conv2d[, BatchNorm2d], ReLU` becomes a {@link ConvReLU2d}. The modules fused away are
 * replaced by `Identity`, so every name stays where it was ("relu1" is an Identity after fusing "fc1").
 * Works on a copy (the model is not changed); the copy is in eval mode. Throws a TypeError naming any
 * layer outside Sequential, Linear, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Identity, and a
 * RangeError for a BatchNorm2d that does not follow a Conv2d.
 *
 * The fused model computes what the model computes in eval mode, up to float32 rounding of the folded
 * weights (the tests compare them).
 *
 * @example
 * const fused = fuseModules(createMlp([784, 100, 100, 10]));
 * fused.names()            // ["fc1", "relu1", "fc2", "relu2", "fc3"]
 * fused.get("fc1")         // LinearReLU
 * fused.get("relu1")       // Identity
 * fused.sources.get("fc1") // ["fc1", "relu1"]
 */
export function fuseModules(model: Module, where = "fuseModules"): FusedModel {
  if (!(model instanceof Sequential)) {
    throw new TypeError(
      `${where}: the model must be a Sequential (of ${_SUPPORTED}), got ${model === null || typeof model !== "object" ? String(model) : model.constructor.name}`,
    );
  }
  const sources = new Map<string, string[]>();
  const fused = new FusedModel(fuseChildren(model, "", sources, where), sources);
  fused.eval();
  return fused;
}
