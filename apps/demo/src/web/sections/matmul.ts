/**
 * Section 7: integer matrix multiplication. A small X Wᵀ + B quantized the deck's way, with the MAC
 * accumulation of one output shown step by step from the int32 bias, and the requantization back to
 * uint8; then @quantkit/kernels (CPU, WebAssembly SIMD) and @quantkit/kernels-gpu (gpu.js on WebGL2)
 * on a larger product in the worker, timed and checked equal.
 */
import { h, type JSX } from "preact";
import type { SectionInfo } from "../sectionInfo";
import { SectionFrame } from "../ui/layout";
import { BenchPanel } from "./matmul/BenchPanel";
import { MacWalkPanel } from "./matmul/MacWalkPanel";

export default function Matmul(props: { info: SectionInfo }): JSX.Element {
  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "A linear layer computes X W + B: each output is a dot product of a row of X with a column of W, plus an element of the bias. The GPU runs it with Multiply-Accumulate (MAC) blocks, many in parallel.",
        ),
        h(
          "p",
          null,
          "With quantized operands every multiply is int8 × int8 and the accumulator is int32: it is initialized with the bias, which is why the bias is quantized to 32 bits, at scale s",
          h("sub", null, "x"),
          " · s",
          h("sub", null, "w"),
          ". One fixed-point multiply then brings the int32 sum back to 8 bits.",
        ),
      ],
    },
    h(MacWalkPanel, null),
    h(BenchPanel, null),
  );
}
