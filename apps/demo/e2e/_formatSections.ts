/**
 * Sections 1-5 of the explainer in Chromium (why quantize, integers, floats, quantizing a tensor,
 * choosing its range): each opened, its inputs changed, the numbers it shows checked against answers
 * worked out independently, and a screenshot saved. No model is trained here.
 */
import { expect, it } from "vitest";
import { fill, open, page, screenshot, text } from "./_demoPage";

/** Registers the tests of sections 1-5, in order, in the calling describe block (demo.test.ts). */
export function formatSections(): void {
  it("1. why quantize: the deck's 28 GB and the MLP's size", async () => {
    expect(await text("why-size")).toBe("28.0 GB");
    expect(await text("why-formula")).toContain("= 28 GB");
    await page.getByTestId("why-bits-8").click();
    expect(await text("why-size")).toBe("7.00 GB");
    expect(await text("why-ratio")).toBe("4.0×");
    await page.getByTestId("why-model").selectOption("mlp");
    expect(await text("why-params-count")).toBe("89\u202f610");
    expect(await text("why-size")).toBe("89.6 kB"); // 89 610 parameters x 1 byte
    await page.getByTestId("why-bits-32").click();
    expect(await text("why-size")).toBe("358 kB");
    await page.getByTestId("why-model").selectOption("llama2-7b");
    await screenshot(1, "why");
  });

  it("2. integers: two's complement bits, range, wrap and saturate", async () => {
    await open("integers");
    expect(await text("int-pattern")).toBe("11111101"); // -3 in int8
    expect(await text("int-range")).toBe("-128 … 127");
    await fill("int-value", "300");
    expect(await text("int-wrap")).toBe("44"); // 300 - 256
    expect(await text("int-saturate")).toBe("127");
    await page.getByTestId("int-signed-unsigned").click();
    expect(await text("int-range")).toBe("0 … 255");
    expect(await text("int-saturate")).toBe("255");
    await page.getByTestId("int-width-16").click();
    expect(await text("int-stored")).toBe("300");
    expect(await text("int-pattern")).toBe("0000000100101100");
    // flip the top bit of a signed 8-bit 5: 0b10000101 = -123
    await page.getByTestId("int-signed-signed").click();
    await page.getByTestId("int-width-8").click();
    await fill("int-value", "5");
    await page.getByTestId("int-bit-7").click();
    expect(await page.getByTestId("int-value").inputValue()).toBe("-123");
    // text that is not an integer stores nothing: no value, and no green "fits"
    await fill("int-value", "abc");
    expect(await text("int-stored")).toBe("—");
    expect(await page.getByTestId("int-stored").locator("xpath=../..").getAttribute("class")).toBe("stat");
    expect(await text("int-wrap")).toBe("—");
    await fill("int-value", "-3");
    await screenshot(2, "integers");
  });

  it("3. floats: 0.15625's fields, the formula, and other formats", async () => {
    await open("floats");
    // float32: 0.15625 = (+1) x 2^(124-127) x 1.25, the deck's example
    expect(await text("f-sign")).toBe("0");
    expect(await text("f-exponent")).toBe("124");
    expect(await text("f-mantissa")).toBe("1.25");
    expect(await text("f-hex")).toBe("0x3e200000");
    expect(await text("f-formula")).toContain("= +0.15625");
    await page.getByTestId("f-format-float16").click();
    expect(await text("f-exponent")).toBe("12"); // -3 + bias 15
    expect(await text("f-mantissa")).toBe("1.25");
    await page.getByTestId("f-format-e4m3fn").click();
    expect(await text("f-exponent")).toBe("4"); // -3 + bias 7
    expect(await text("f-hex")).toBe("0x22"); // 0 0100 010
    // flip the sign bit: -0.15625
    await page.getByTestId("f-bit-7").click();
    expect(await page.getByTestId("f-value").inputValue()).toBe("-0.15625");
    await fill("f-value", "0.1");
    await page.getByTestId("f-format-float16").click();
    expect(await text("f-stored")).toBe("0.0999755859375"); // 1638 / 2^14
    // 1e6 overflows float16 and both float8s: their bars are gone and the caption says why
    await fill("f-value", "1e6");
    expect(await text("f-overflow-note")).toBe(
      "No bars for float16, float8 E4M3, float8 E5M2: 1000000 is beyond their largest value (overflow).",
    );
    // E4M3FN's NaN is exponent and mantissa all ones (an all-ones exponent alone is a number, up to 448)
    await page.getByTestId("f-format-e4m3fn").click();
    expect(await text("f-formula")).toContain("exponent and mantissa all ones: NaN");
    await fill("f-value", "448");
    expect(await text("f-stored")).toBe("448");
    await fill("f-value", "0.15625");
    await page.getByTestId("f-format-float32").click();
    await screenshot(3, "floats");
  });

  it("4. quantize a tensor: the deck's from-scratch example, bits and schemes", async () => {
    await open("quantize");
    await fill("q-values", "-50, 0, 10, 120, 150");
    // asymmetric 8-bit: scale = 200 / 255, zero = -round(-50 / scale) = 64
    expect(await text("q-small-scale")).toBe("0.78431374");
    expect(await text("q-small-zero")).toBe("64");
    const codes = async () =>
      page.getByTestId("q-small-table").locator("tbody tr td:nth-child(2)").allTextContents();
    expect(await codes()).toEqual(["0", "64", "77", "217", "255"]);
    await page.getByTestId("q-scheme-symmetric").click();
    // symmetric: scale = 150 / 127, codes round(x * 127 / 150)
    expect(await text("q-small-scale")).toBe("1.1811024");
    expect(await text("q-small-zero")).toBe("0");
    expect(await codes()).toEqual(["-42", "0", "8", "102", "127"]);
    // 10,000 values uniform in [-50, 150], symmetric 2 bits: scale 150, codes round(x / 150) are 0 and 1
    // only: -1 stands for -150, which no value is near (symmetric wastes half its codes on skewed data)
    expect(await text("q-used")).toMatch(/^\d+ \/ 255$/);
    await page.getByTestId("q-bits").fill("2");
    expect(await text("q-used")).toBe("2 / 3");
    await page.getByTestId("q-scheme-asymmetric").click();
    expect(await text("q-used")).toBe("4 / 4");
    // the outlier squeezes the uniform values into few codes
    await page.getByTestId("q-bits").fill("8");
    await page.getByTestId("q-dist").selectOption("outlier");
    const used = Number((await text("q-used")).split(" / ")[0]);
    expect(used).toBeLessThan(60); // [-50, 150] spans 200 / 1050 of the 256 codes, plus the outlier's
    await page.getByTestId("q-dist").selectOption("uniform");
    await page.getByTestId("q-scheme-asymmetric").click();
    await page.reload();
    await open("quantize");
    // the screenshot at 3 bits: the staircase and the grid are visible
    await page.getByTestId("q-bits").fill("3");
    expect(await text("q-small-zero")).toBe("2"); // -round(-50 / (200 / 7)) = -round(-1.75)
    await screenshot(4, "quantize");
  });

  it("5. choosing the range: the deck's min-max vs percentile figures, then other data", async () => {
    await open("range");
    // the deck's notebook: MSE without the outlier 1.39 (min-max) vs 0.05 (percentile); quantkit's
    // seeded data gives 1.41 and 0.0508
    await page.getByTestId("r-mse-minmax").waitFor({ timeout: 60_000 });
    expect(await text("r-mse-minmax")).toBe("1.41");
    expect(await text("r-mse-percentile")).toBe("0.0508");
    await screenshot(5, "range");
    await page.getByTestId("r-view-bulk").click();
    // a coarser percentile clips more of the ordinary values: the error grows
    await page.getByTestId("r-percentile").selectOption("99");
    await expect.poll(() => text("r-mse-percentile"), { timeout: 30_000 }).not.toBe("0.0508");
    expect(Number(await text("r-mse-percentile"))).toBeGreaterThan(0.0508);
    // a bell curve at 4 bits: the MSE search beats min-max
    await page.getByTestId("r-dist").selectOption("normal");
    await page.getByTestId("r-bits").fill("4");
    await expect
      .poll(async () => (await page.getByTestId("r-table").locator("thead").textContent()) ?? "", {
        timeout: 30_000,
      })
      .not.toContain("w/o");
    await expect
      .poll(async () => Number(await text("r-mse-mse")) < Number(await text("r-mse-minmax")), {
        timeout: 30_000,
      })
      .toBe(true);
    // the verdict beside the table says which strategies beat min-max, as the table's numbers do; the
    // table and the verdict update one after the other, so the check is polled until both show one run
    const verdictMismatches = async () => {
      const clauses = (await text("r-verdict")).split("; ");
      const minmax = Number(await text("r-mse-minmax"));
      const wrong: string[] = [];
      for (const [method, label] of [
        ["percentile", "Percentile"],
        ["mse", "MSE"],
        ["entropy", "Entropy (KL)"],
        ["crossentropy", "Cross-entropy"],
        ["histogram", "Histogram (L2)"],
      ] as const) {
        const mse = Number(await text(`r-mse-${method}`));
        const clause = clauses.find((c) => c.includes(`${label} (`)) ?? "";
        const want = mse < minmax ? /beats? min-max/ : mse === minmax ? /ties? with it/ : /(does|do) worse/;
        if (!want.test(clause)) wrong.push(`${label}: ${mse} vs min-max ${minmax}, verdict "${clause}"`);
      }
      return wrong;
    };
    await expect.poll(verdictMismatches, { timeout: 30_000 }).toEqual([]);
    // headers keep their Greek letters: no uppercase transform turns [β, α] into [Β, Α]
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (after CSS text-transform) is what is checked
    expect(await page.getByTestId("r-table").locator("th").nth(1).innerText()).toBe("range [β, α]");
  });
}
