import { describe, expect, it } from "vitest";
import { axesCaption, valueAxis } from "./axes";

describe("valueAxis", () => {
  it("draws close values on a linear axis from 0 (420 -> 430 Melem/s is no climb)", () => {
    expect(valueAxis([420, 430])).toEqual({ type: "linear", beginAtZero: true });
    expect(valueAxis([1, 20])).toEqual({ type: "linear", beginAtZero: true });
  });

  it("uses a log axis only where values span more than a factor of 20", () => {
    expect(valueAxis([0.5, 100])).toEqual({ type: "logarithmic", beginAtZero: false });
    expect(valueAxis([0, 0.5, 100])).toEqual({ type: "logarithmic", beginAtZero: false });
  });
});

describe("axesCaption", () => {
  it("says log only for a logarithmic axis", () => {
    expect(axesCaption({ x: "logarithmic", y: "linear" }, { x: "size", y: "throughput" })).toBe(
      "size on a log scale; throughput on a linear scale from 0.",
    );
    expect(axesCaption({ x: "logarithmic", y: "logarithmic" }, { x: "size", y: "throughput" })).toBe(
      "size on a log scale; throughput on a log scale.",
    );
  });
});
