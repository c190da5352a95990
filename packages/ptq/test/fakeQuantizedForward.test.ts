import { argmax } from "@quantkit/nn";
import { afterAll, describe, expect, it } from "vitest";
import { defaultQConfig, fakeQuantizedForward } from "../src/index";
import { quantizedMlp } from "./_fixtures";
import { kernelBackends } from "./_kernelSets";

const { kernelSets, destroy } = kernelBackends();
afterAll(destroy);

describe("the integer model", () => {
  it("agrees with the fake-quantized float forward pass on >= 99.5% of predictions (int8), on every backend", async () => {
    const { q, x, n } = await quantizedMlp(defaultQConfig);
    const simulated = argmax(fakeQuantizedForward(q, x, n).data, [n, 10]);
    for (const [name, kernels] of kernelSets) {
      const predicted = q.predict(x, n, { kernels });
      let same = 0;
      for (let i = 0; i < n; i++) if (predicted[i] === simulated[i]) same++;
      expect(same / n, name).toBeGreaterThanOrEqual(0.995);
    }
  });

  it("int8 output codes equal the whole-network float simulation's on >= 99% (the rest off by one)", async () => {
    const { q, x, n } = await quantizedMlp(defaultQConfig);
    const codes = q.forwardCodes(q.quantizeInput(x, n), n);
    const sim = fakeQuantizedForward(q, x, n).data;
    let off = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = Math.round(sim[i]! / q.output.scale) + q.output.zeroPoint;
      expect(Math.abs(c - codes[i]!)).toBeLessThanOrEqual(1);
      if (c !== codes[i]) off++;
    }
    expect(off / codes.length).toBeLessThan(0.01);
  });
});
