import { Rng } from "@quantkit/tensor";
import type { Suite } from "../context";
import { importPackage } from "../packageBench";
import { measureConv, measureGemm } from "./_gemm";
import { discoverKernels } from "./_kernelsDiscovery";

/** GEMM shapes [m, k, n]: cubes for the throughput curve, and the MLP's first layer at batch 32. */
export const GEMM_SHAPES: Record<"quick" | "full", [number, number, number][]> = {
  quick: [
    [64, 64, 64],
    [128, 128, 128],
    [256, 256, 256],
    [32, 784, 100],
  ],
  full: [
    [64, 64, 64],
    [128, 128, 128],
    [256, 256, 256],
    [512, 512, 512],
    [1024, 1024, 1024],
    [32, 784, 100],
  ],
};

/** Conv shapes: [batch, inChannels, outChannels, height(=width), kernel]. */
export const CONV_SHAPES: Record<"quick" | "full", [number, number, number, number, number][]> = {
  quick: [[1, 8, 16, 28, 3]],
  full: [
    [1, 8, 16, 28, 3],
    [1, 32, 64, 56, 3],
  ],
};

/** GEMM (and conv) of @quantkit/kernels on every CPU backend it has, with onnxruntime-node in the same rounds. */
export const kernelsSuite: Suite = {
  id: "kernels",
  title: "CPU GEMM and conv, int8 against fp32, against onnxruntime-node",
  package: "@quantkit/kernels",
  async run(ctx) {
    const pkg = await importPackage("@quantkit/kernels");
    if (!pkg.module) return ctx.skip(pkg.error);
    const { kernels, unavailable } = await discoverKernels(pkg.module);
    for (const u of unavailable) ctx.note(`backend not available here: ${u}`);
    if (kernels.length === 0) {
      return ctx.skip(
        "@quantkit/kernels exports no backend yet: no object implementing the Kernels contract of src/types.ts and no create…Kernels() factory",
      );
    }
    ctx.source = `@quantkit/kernels public API (${kernels.map((k) => k.backend).join(", ")}) + onnxruntime-node`;
    ctx.note(
      "onnxruntime-node runs single-threaded (intraOpNumThreads 1), like the JS and WebAssembly kernels; its MatMulInteger result is checked equal to quantkit's before timing.",
    );
    const rng = new Rng(20261126);
    const shapes = GEMM_SHAPES[ctx.mode];
    const convs = CONV_SHAPES[ctx.mode];
    const steps = shapes.length + convs.length;
    let done = 0;
    for (const shape of shapes) {
      ctx.progress(done / steps, `gemm ${shape.join("x")}`);
      await measureGemm(ctx, kernels, shape, rng);
      done++;
    }
    const convCapable = kernels.filter((k) => typeof k.quantizedConv2d === "function");
    for (const shape of convs) {
      ctx.progress(done / steps, `conv ${shape.join("x")}`);
      try {
        if (convCapable.length > 0) await measureConv(ctx, convCapable, shape, rng);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        // GEMM numbers stand on their own: a conv that throws is reported, not fatal.
        ctx.note(`conv ${shape.join("x")} not measured: ${(err as Error).message.split("\n")[0]}`);
      }
      done++;
    }
    ctx.progress(1, "done");
  },
};
