/**
 * Section 4: quantize a tensor. The deck's from-scratch example (20 values, asymmetric and symmetric,
 * formulas with the numbers filled in), then a 10,000-value tensor of a chosen distribution with the
 * quantization grid drawn over its histogram, the integer codes it uses, and the error. Quantization is
 * @quantkit/quantizers' (quantize, dequantize, mse, sqnr).
 */

import { h, type JSX } from "preact";
import { useState } from "preact/hooks";
import type { Scheme } from "../lib/deckQuantize";
import type { SectionInfo } from "../sectionInfo";
import { BitsSlider, Controls, Segmented } from "../ui/controls";
import { Panel, SectionFrame } from "../ui/layout";
import { FromScratchPanel } from "./quantize/FromScratchPanel";
import { TensorPanel } from "./quantize/TensorPanel";

export default function Quantize(props: { info: SectionInfo }): JSX.Element {
  const [bits, setBits] = useState(8);
  const [scheme, setScheme] = useState<Scheme>("asymmetric");

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Asymmetric quantization maps the floating-point numbers in a range [β, α] onto the integers [0, 2ⁿ − 1]: with 8 bits, [0, 255]. Symmetric quantization maps [−α, α] onto [−(2ⁿ⁻¹ − 1), 2ⁿ⁻¹ − 1]: with 8 bits, [−127, 127], and 0 stays exactly 0.",
        ),
        h(
          "p",
          null,
          "Each integer stands for one real value, scale · (q − zero): together they form a grid, and quantizing moves every value to its nearest grid point. Fewer bits, coarser grid, larger error.",
        ),
      ],
    },
    h(
      Panel,
      { title: "Bits and scheme", sub: "Both panels below follow these two controls." },
      h(
        Controls,
        null,
        h(BitsSlider, { id: "q-bits", label: "Bits n", value: bits, onInput: setBits }),
        h(Segmented<Scheme>, {
          id: "q-scheme",
          label: "Scheme",
          value: scheme,
          options: [
            { value: "asymmetric", label: "Asymmetric [β, α] → [0, 2ⁿ−1]" },
            { value: "symmetric", label: "Symmetric [−α, α] → [−(2ⁿ⁻¹−1), 2ⁿ⁻¹−1]" },
          ],
          onChange: setScheme,
        }),
      ),
    ),
    h(FromScratchPanel, { bits, scheme }),
    h(TensorPanel, { bits, scheme }),
  );
}
