/**
 * The explainer's outline: the deck's, one section a topic, each loaded on demand (its code, and
 * the worker it may start, arrive only when the learner opens it).
 */
import type { SectionInfo } from "./sectionInfo";
// The first section is part of the entry chunk (so it is preloaded with it, no request waterfall);
// the others load when opened.
import * as why from "./sections/why";

export const SECTIONS: readonly SectionInfo[] = [
  {
    id: "why",
    group: "What is quantization",
    number: 1,
    title: "Why quantize",
    part: "What is quantization",
    blurb: "Parameters x bits: what a model weighs",
    load: () => Promise.resolve(why),
  },
  {
    id: "integers",
    group: "Numerical representation",
    number: 2,
    title: "Integers",
    part: "Numerical representation",
    blurb: "Two's complement, ranges, wrap and saturate",
    load: () => import("./sections/integers"),
  },
  {
    id: "floats",
    group: "Numerical representation",
    number: 3,
    title: "Floating-point numbers",
    part: "Numerical representation",
    blurb: "Sign, exponent, mantissa of float32 to float8",
    load: () => import("./sections/floats"),
  },
  {
    id: "quantize",
    group: "Types of quantization",
    number: 4,
    title: "Quantize a tensor",
    part: "Asymmetric and symmetric quantization",
    blurb: "Scale, zero point, the grid and its error",
    load: () => import("./sections/quantize"),
  },
  {
    id: "range",
    group: "Types of quantization",
    number: 5,
    title: "Choosing the range",
    part: "Quantization range",
    blurb: "Min-max, percentile, MSE, entropy",
    load: () => import("./sections/range"),
  },
  {
    id: "granularity",
    group: "Types of quantization",
    number: 6,
    title: "Granularity",
    part: "Quantization granularity",
    blurb: "Per tensor, per channel, per group",
    load: () => import("./sections/granularity"),
  },
  {
    id: "matmul",
    group: "Quantization of NN layers",
    number: 7,
    title: "Integer matrix multiplication",
    part: "Quantization of NN layers",
    blurb: "XW + B with int8 MACs, CPU and GPU",
    load: () => import("./sections/matmul"),
  },
  {
    id: "ptq",
    group: "PTQ and QAT",
    number: 8,
    title: "Post-training quantization",
    part: "Post-Training Quantization",
    blurb: "Train, calibrate, convert, compare",
    load: () => import("./sections/ptq"),
  },
  {
    id: "qat",
    group: "PTQ and QAT",
    number: 9,
    title: "Quantization-aware training",
    part: "Quantization-Aware Training",
    blurb: "Fake quantization while training",
    load: () => import("./sections/qat"),
  },
  {
    id: "draw",
    group: "Try it yourself",
    number: 10,
    title: "Draw a digit",
    part: "Try it yourself",
    blurb: "fp32, int8 and int4 side by side",
    load: () => import("./sections/draw"),
  },
  {
    id: "onnx",
    group: "Try it yourself",
    number: 11,
    title: "Quantize your own model",
    part: "Try it yourself",
    blurb: "An ONNX file, quantized in this tab",
    load: () => import("./sections/onnx"),
  },
];
