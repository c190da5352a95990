import { assertOptions } from "@quantkit/tensor";
import { _checkParams, type Optimizer } from "./optimizer";
import type { Parameter } from "./parameter";

/** Options of {@link SGD}, PyTorch's arguments in camelCase. */
export interface SGDOptions {
  /** Learning rate. Default 1e-3. */
  lr?: number;
  /** Default 0. */
  momentum?: number;
  /** Damping of the momentum's new-gradient term. Default 0. */
  dampening?: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/**
 * Stochastic gradient descent exactly as PyTorch's `torch.optim.SGD` defines it, per element:
 * g = grad (+ weightDecay * p); with momentum, b = g on the first step, then b = momentum * b +
 * (1 - dampening) * g, and g = g + momentum * b (nesterov) or g = b; finally p = p - lr * g.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad(); model.backward(lossFn.backward()); opt.step();
 */
export class SGD implements Optimizer {
  lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
  private readonly buffers: Array<Float32Array | undefined>;

  constructor(
    readonly params: readonly Parameter[],
    options: SGDOptions = {},
  ) {
    assertOptions(
      options,
      ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"],
      "SGD options",
    );
    this.lr = options.lr ?? 1e-3;
    _checkParams(params, this.lr, "SGD");
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.maximize = options.maximize ?? false;
    if (!(this.momentum >= 0)) throw new RangeError(`SGD: momentum must be >= 0, got ${this.momentum}`);
    if (!(this.weightDecay >= 0))
      throw new RangeError(`SGD: weightDecay must be >= 0, got ${this.weightDecay}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new RangeError("SGD: nesterov momentum requires a momentum and zero dampening");
    }
    this.buffers = params.map(() => undefined);
  }

  step(): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = this;
    for (let k = 0; k < this.params.length; k++) {
      const { data, grad } = this.params[k]!;
      let buf = this.buffers[k];
      const first = buf === undefined;
      if (momentum !== 0 && buf === undefined) buf = this.buffers[k] = new Float32Array(data.length);
      for (let i = 0; i < data.length; i++) {
        let g = maximize ? -grad[i]! : grad[i]!;
        if (weightDecay !== 0) g += weightDecay * data[i]!;
        if (buf !== undefined) {
          const b = first ? g : momentum * buf[i]! + (1 - dampening) * g;
          buf[i] = b;
          g = nesterov ? g + momentum * buf[i]! : buf[i]!;
        }
        data[i] = data[i]! - lr * g;
      }
    }
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }
}
