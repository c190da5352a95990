// Type tests, checked by `tsc -p packages/onnx`: every quantizer returns the one QuantizationReport, and
// evaluateQuantization fills that same report (or a float16 one).
import { expectTypeOf } from "vitest";
import type { Float16Report, NodeReport, QuantizationReport } from "../src/index";
import {
  evaluateQuantization,
  type quantizeDynamic,
  type quantizeMatMulNBits,
  type quantizeStatic,
} from "../src/index";

expectTypeOf<ReturnType<typeof quantizeDynamic>["report"]>().toEqualTypeOf<QuantizationReport>();
expectTypeOf<ReturnType<typeof quantizeMatMulNBits>["report"]>().toEqualTypeOf<QuantizationReport>();
expectTypeOf<Awaited<ReturnType<typeof quantizeStatic>>["report"]>().toEqualTypeOf<QuantizationReport>();
// evaluateQuantization fills the report it is given (a quantizer's, or convertFloatToFloat16's) and returns it.
expectTypeOf(evaluateQuantization<QuantizationReport>)
  .parameter(2)
  .toEqualTypeOf<QuantizationReport>();
expectTypeOf(evaluateQuantization<QuantizationReport>).returns.resolves.toEqualTypeOf<QuantizationReport>();
expectTypeOf(evaluateQuantization<Float16Report>).returns.resolves.toEqualTypeOf<Float16Report>();
expectTypeOf<Float16Report["outputSqnrDb"]>().toEqualTypeOf<Record<string, number> | undefined>();

// The modes users name (transformers.js's q8, int8, q4, q4f16) and the weight-only rest.
expectTypeOf<QuantizationReport["mode"]>().toEqualTypeOf<"q8" | "int8" | "q4" | "q4f16" | "weight-only">();
expectTypeOf<QuantizationReport["nodes"]>().toEqualTypeOf<NodeReport[]>();
expectTypeOf<NodeReport["sqnrDb"]>().toEqualTypeOf<number | undefined>();
