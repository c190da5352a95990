import type { Shape, Tensor } from "@quantkit/tensor";
import { Module } from "../src/index";

/** y = x * factor: a custom module as PTQ/QAT would write one. */
export class Scale extends Module {
  constructor(public factor: number) {
    super();
  }
  forward(x: Float32Array, shape: Shape): Tensor {
    return { data: x.map((v) => v * this.factor), shape };
  }
  backward(g: Float32Array): Float32Array {
    return g.map((v) => v * this.factor);
  }
}
