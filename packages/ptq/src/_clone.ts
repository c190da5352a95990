import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  Identity,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from "@quantkit/nn";
import { ConvReLU2d } from "./ConvReLU2d";
import { LinearReLU } from "./LinearReLU";

/** The layer types prepare and prepareQat accept, for error messages. */
export const _SUPPORTED =
  "Sequential, Linear, Conv2d, BatchNorm2d (after a Conv2d), ReLU, MaxPool2d, Flatten, Identity";

/** A copy of a Linear with its own weight and bias arrays. */
export function _cloneLinear(l: Linear): Linear {
  const c = new Linear(l.inFeatures, l.outFeatures, { bias: l.bias !== null });
  c.weight.data.set(l.weight.data);
  if (l.bias !== null) c.bias!.data.set(l.bias.data);
  c.training = l.training;
  return c;
}

/** A copy of a Conv2d (symmetric padding only: the integer kernels pad both sides alike). */
export function _cloneConv2d(conv: Conv2d, path: string): Conv2d {
  const g = conv.geometry;
  if (g.padTop !== g.padBottom || g.padLeft !== g.padRight) {
    throw new RangeError(
      `"${path}": asymmetric padding (top ${g.padTop}, bottom ${g.padBottom}, left ${g.padLeft}, right ${g.padRight}) is not supported by the integer convolution; use explicit symmetric padding`,
    );
  }
  const c = new Conv2d(g.inChannels, g.outChannels, [g.kernelH, g.kernelW], {
    stride: [g.strideH, g.strideW],
    padding: [g.padTop, g.padLeft],
    dilation: [g.dilationH, g.dilationW],
    groups: g.groups,
    bias: conv.bias !== null,
  });
  c.weight.data.set(conv.weight.data);
  if (conv.bias !== null) c.bias!.data.set(conv.bias.data);
  c.training = conv.training;
  return c;
}

/**
 * A deep copy of a supported module tree: parameters copied, stateless layers rebuilt with the same
 * arguments. A TypeError names the path and type of anything else.
 */
export function _cloneTree(m: Module, path: string, where: string): Module {
  if (m instanceof Sequential) {
    return new Sequential(
      m
        .children()
        .map(
          ([name, child]) =>
            [name, _cloneTree(child, path === "" ? name : `${path}.${name}`, where)] as const,
        ),
    );
  }
  if (m instanceof Linear) return _cloneLinear(m);
  if (m instanceof Conv2d) return _cloneConv2d(m, path);
  if (m instanceof LinearReLU) return new LinearReLU(_cloneLinear(m.linear));
  if (m instanceof ConvReLU2d) return new ConvReLU2d(_cloneConv2d(m.conv, path));
  if (m instanceof ReLU) return new ReLU();
  if (m instanceof Identity) return new Identity();
  if (m instanceof Flatten) return new Flatten(m.startDim, m.endDim);
  if (m instanceof MaxPool2d) {
    return new MaxPool2d(m.kernelSize, {
      stride: m.stride,
      padding: m.padding,
      dilation: m.dilation,
      ceilMode: m.ceilMode,
    });
  }
  if (m instanceof BatchNorm2d) return m; // folded into the convolution before it, never kept
  throw new TypeError(
    `${where}: cannot quantize "${path}" (${m.constructor.name}); supported layers: ${_SUPPORTED}`,
  );
}
