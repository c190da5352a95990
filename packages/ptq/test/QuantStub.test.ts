import { MinMaxObserver } from "@quantkit/calibrators";
import { describe, expect, it } from "vitest";
import { ObserverModule, QuantStub } from "../src/index";

describe("QuantStub", () => {
  it("runs its activationPostProcess on the input and remembers one sample's shape", () => {
    const obs = new ObserverModule(new MinMaxObserver());
    const stub = new QuantStub(obs);
    expect(stub.inputShape).toBeNull();
    const x = new Float32Array([-1, 0.5, 2, 0, 1, 1]);
    const y = stub.forward(x, [2, 1, 3]);
    expect(y.data).toBe(x);
    expect(stub.inputShape).toEqual([1, 3]);
    expect(obs.observedRange()).toEqual({ min: -1, max: 2 });
    // quint8 0..255 over [-1, 2]: scale 3 / 255, zero point round(1 / scale) = 85
    const q = stub.activationPostProcess.calculateQParams();
    expect(q.scale[0]).toBe(Math.fround(3 / 255));
    expect(q.zeroPoint[0]).toBe(85);
  });
  it("names its observer activation_post_process, as PyTorch; backward passes the gradient through", () => {
    const stub = new QuantStub(new ObserverModule(new MinMaxObserver()));
    expect(stub.namedModules().map(([n]) => n)).toEqual(["", "activation_post_process"]);
    const g = new Float32Array([1, 2]);
    expect(Array.from(stub.backward(g))).toEqual([1, 2]);
  });
  it("an unbatched input is an error with its shape", () => {
    const stub = new QuantStub(new ObserverModule(new MinMaxObserver()));
    expect(() => stub.forward(new Float32Array(3), [3])).toThrow(
      "QuantStub.forward: input must be batched, [batch, ...features], got shape [3]",
    );
  });
});
