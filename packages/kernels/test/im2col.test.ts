import { describe, expect, it } from "vitest";
import { im2col } from "../src/index";
import { geometries, options } from "./_convGeometries";
import { TestRng } from "./_reference";

describe("im2col", () => {
  it("lays out PyTorch's unfold order (the documented example)", () => {
    const y = im2col(new Float32Array([1, 2, 3, 4]), {
      channels: 1,
      height: 2,
      width: 2,
      kernelSize: 2,
      padding: 1,
      stride: 2,
    });
    expect(Array.from(y)).toEqual([0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0]);
  });

  it("equals a per-element reference on every geometry, with the pad value where the window leaves the image", () => {
    const rng = new TestRng(63);
    for (const g of geometries) {
      const x = rng.uint8(g.inChannels * g.height * g.width);
      const { groups: _groups, ...geometry } = options(g); // im2col is per image: no groups
      const y = im2col(x, {
        channels: g.inChannels,
        height: g.height,
        width: g.width,
        ...geometry,
        padValue: 77,
      });
      const oh = Math.floor((g.height + 2 * g.padH - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
      const ow = Math.floor((g.width + 2 * g.padW - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
      expect(y.length).toBe(g.inChannels * g.kernelH * g.kernelW * oh * ow);
      let r = 0;
      for (let c = 0; c < g.inChannels; c++) {
        for (let i = 0; i < g.kernelH; i++) {
          for (let j = 0; j < g.kernelW; j++, r++) {
            for (let p = 0; p < oh * ow; p++) {
              const ih = Math.floor(p / ow) * g.strideH - g.padH + i * g.dilationH;
              const iw = (p % ow) * g.strideW - g.padW + j * g.dilationW;
              const inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
              const want = inside ? x[(c * g.height + ih) * g.width + iw]! : 77;
              if (y[r * oh * ow + p] !== want)
                expect({ r, p, got: y[r * oh * ow + p] }).toEqual({ r, p, got: want });
            }
          }
        }
      }
    }
  });

  it("keeps the input's array type and writes into `out`", () => {
    const x = new Int8Array([-1, 2, -3, 4]);
    const out = new Int8Array(4);
    expect(im2col(x, { channels: 1, height: 2, width: 2, kernelSize: 1 }, out)).toBe(out);
    expect(Array.from(out)).toEqual([-1, 2, -3, 4]);
    expect(() =>
      im2col(x, { channels: 1, height: 2, width: 2, kernelSize: 1 }, new Uint8Array(4) as never),
    ).toThrow(/out must be a Int8Array like x, got Uint8Array/);
    expect(() => im2col(x, { channels: 1, height: 3, width: 2, kernelSize: 1 })).toThrow(
      /x must have length channels \* height \* width/,
    );
    expect(() => im2col([1, 2] as never, { channels: 1, height: 1, width: 2, kernelSize: 1 })).toThrow(
      TypeError,
    );
  });
});
