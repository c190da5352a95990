// onnxruntime-node and onnxruntime-web (WASM, one thread) side by side, for the tests that check the
// quantized models run in both and agree.
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { expect } from "vitest";
import { type EngineFeeds, ortEngine } from "../src/index";

ortWeb.env.wasm.numThreads = 1;
export const node = ortEngine(ortNode, { sessionOptions: { intraOpNumThreads: 1 } });
export const web = ortEngine(ortWeb, { sessionOptions: { executionProviders: ["wasm"] } });

/** The largest |node - web| over every output of every feed. */
export async function maxDiff(bytes: Uint8Array, feeds: EngineFeeds[]): Promise<number> {
  const a = await node.createSession(bytes);
  const b = await web.createSession(bytes);
  let d = 0;
  for (const f of feeds) {
    const ra = await a.run(f);
    const rb = await b.run(f);
    for (const k of Object.keys(ra)) {
      const x = ra[k]!.data as Float32Array;
      const y = rb[k]!.data as Float32Array;
      expect(y.length).toBe(x.length);
      for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
    }
  }
  return d;
}
