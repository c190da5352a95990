/**
 * The controls q4 and q4f16 add: the weight-only method, the block size, and whether the embedding
 * tables (a Gather of a constant table) are quantized too.
 */
import { WEIGHT_ONLY_METHODS, type WeightOnlyMethod } from "@quantkit/onnx";
import { Fragment, h, type JSX } from "preact";
import { Checkbox, Select } from "../ui/controls";
import { Q4_BLOCK_SIZES } from "./quantizeModel";

export function Q4Controls(props: {
  method: WeightOnlyMethod;
  blockSize: number;
  embeddings: boolean;
  onMethod: (m: WeightOnlyMethod) => void;
  onBlockSize: (b: number) => void;
  onEmbeddings: (on: boolean) => void;
}): JSX.Element {
  return h(
    Fragment,
    null,
    h(Select<WeightOnlyMethod>, {
      id: "ox-method",
      label: "Method",
      value: props.method,
      options: WEIGHT_ONLY_METHODS.map((m) => ({
        value: m,
        label: m,
        title: m === "gptq" || m === "awq" ? "weighs the error by the layer inputs on the example draws" : "",
      })),
      onChange: props.onMethod,
    }),
    h(Select<number>, {
      id: "ox-block-size",
      label: "Block size",
      value: props.blockSize,
      options: Q4_BLOCK_SIZES.map((b) => ({ value: b, label: String(b) })),
      onChange: props.onBlockSize,
    }),
    h(Checkbox, {
      id: "ox-embeddings",
      label: "also quantize embedding tables (Gather)",
      title:
        "a Gather of rows of a constant 2-D table becomes GatherBlockQuantized, 4-bit blocks of the block size along each row; gptq and awq need a MatMul's inputs, so the tables get rtn",
      checked: props.embeddings,
      onChange: props.onEmbeddings,
    }),
  );
}
