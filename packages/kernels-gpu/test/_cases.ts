/**
 * The conformance cases every backend runs (Node: headlessgl, webasm, cpu; Chromium: webgl2,
 * webgpu): seeded inputs, each with its expected result from the slow references in
 * `_reference.ts` or worked out by hand. Data only, so that the browser test bundles the same file.
 * One file of cases per kernel (`_cases<Kernel>.ts`); this one draws them all from one seed.
 */

import { quantizedConv2dCases } from "./_casesConv2d";
import { quantizedLinearCases } from "./_casesLinear";
import { matmulF32Cases, matmulIntegerCases } from "./_casesMatmul";
import { requantizeCases } from "./_casesRequantize";
import type { ConformanceCase } from "./_conformanceCase";
import { TestRng } from "./_testRng";

/**
 * The cases, built from one seed: each kernel's in turn, from one generator, in this order (a case's
 * random inputs depend on what the cases before it drew).
 */
export function conformanceCases(seed = 20240531): ConformanceCase[] {
  const rng = new TestRng(seed);
  return [
    ...matmulIntegerCases(rng),
    ...requantizeCases(rng),
    ...quantizedLinearCases(rng),
    ...quantizedConv2dCases(rng),
    ...matmulF32Cases(rng),
  ];
}
