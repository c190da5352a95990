/// <reference types="vite/client" />
/**
 * Section 11: quantize your own model. Drop an .onnx file (or load Silero VAD v5), pick a mode,
 * quantize it with @quantkit/onnx in a Web Worker, see the sizes and the error of the outputs, run both
 * models side by side with onnxruntime-web, download the result. Nothing leaves the page.
 */
import type { WeightOnlyMethod } from "@quantkit/onnx";
import sileroUrl from "@ricky0123/vad-web/dist/silero_vad_v5.onnx?url";
import { h, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../onnx/onnx.css";
import { defaultSpecs, type InputSpec, SILERO_SPECS } from "../onnx/exampleInput";
import type { ModelSummary, OnnxMode, QuantizeOutput, RunOutput } from "../onnx/jobs";
import { quantizeRequest } from "../onnx/quantizeRequest";
import { useOnnxJob } from "../onnx/useOnnxJob";
import type { SectionInfo } from "../sectionInfo";
import { SectionFrame } from "../ui/layout";
import { ModelPanel } from "./onnx/ModelPanel";
import { QuantizePanel } from "./onnx/QuantizePanel";
import { RunPanel } from "./onnx/RunPanel";

const EXAMPLE_NAME = "silero_vad_v5.onnx";
const CALIBRATION_SAMPLES = 8;
const RUN_REPEATS = 5;

export default function OnnxSection(props: { info: SectionInfo }): JSX.Element {
  const [summary, setSummary] = useState<ModelSummary | undefined>(undefined);
  const [specs, setSpecs] = useState<InputSpec[]>([]);
  const [mode, setMode] = useState<OnnxMode>("q8");
  const [perChannel, setPerChannel] = useState(true);
  const [method, setMethod] = useState<WeightOnlyMethod>("rtn");
  const [blockSize, setBlockSize] = useState(32);
  const [embeddings, setEmbeddings] = useState(false);
  const [result, setResult] = useState<QuantizeOutput | undefined>(undefined);
  const [download, setDownload] = useState<string | undefined>(undefined);
  const [runResult, setRunResult] = useState<RunOutput | undefined>(undefined);
  const [fetchError, setFetchError] = useState<Error | undefined>(undefined);
  const load = useOnnxJob("load");
  const quantize = useOnnxJob("quantize");
  const runBoth = useOnnxJob("run");

  useEffect(() => () => void (download && URL.revokeObjectURL(download)), [download]);

  const loadBytes = async (bytes: Uint8Array, name: string, example: boolean) => {
    setResult(undefined);
    setRunResult(undefined);
    setDownload(undefined);
    const s = await load.run({ bytes, name });
    if (!s) return;
    setSummary(s);
    setSpecs(example ? SILERO_SPECS.map((x) => ({ ...x, shape: [...x.shape] })) : defaultSpecs(s.inputs));
  };
  const loadFile = async (file: File | undefined) => {
    if (file) await loadBytes(new Uint8Array(await file.arrayBuffer()), file.name, false);
  };
  const loadExample = async () => {
    setFetchError(undefined);
    try {
      const res = await fetch(sileroUrl);
      if (!res.ok) throw new Error(`${EXAMPLE_NAME}: HTTP ${res.status}`);
      await loadBytes(new Uint8Array(await res.arrayBuffer()), EXAMPLE_NAME, true);
    } catch (e) {
      setFetchError(e as Error);
    }
  };
  const doQuantize = async () => {
    setRunResult(undefined);
    const out = await quantize.run(
      quantizeRequest({
        mode,
        perChannel,
        method,
        blockSize,
        embeddings,
        specs,
        calibrationSamples: CALIBRATION_SAMPLES,
      }),
    );
    if (!out) return;
    setResult(out);
    setDownload(URL.createObjectURL(new Blob([out.bytes as BlobPart], { type: "application/octet-stream" })));
  };
  const doRun = async () => {
    const out = await runBoth.run({ specs, seed: 0, repeats: RUN_REPEATS });
    if (out) setRunResult(out);
  };

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Everything so far ran on this project's own small MLP. Models people deploy come as ONNX files: bring one, and quantize it here, in this tab, with @quantkit/onnx, the same package the quantkit command line uses.",
        ),
        h(
          "p",
          null,
          "Nothing leaves the page: the file is read in a Web Worker, quantized there, and both models run in onnxruntime-web (WebAssembly, one thread) on an example input.",
        ),
      ],
    },
    h(ModelPanel, {
      summary,
      loading: load.running,
      error: load.error ?? fetchError,
      onFile: loadFile,
      onExample: loadExample,
    }),
    summary
      ? h(QuantizePanel, {
          summary,
          mode,
          onMode: setMode,
          perChannel,
          onPerChannel: setPerChannel,
          method,
          onMethod: setMethod,
          blockSize,
          onBlockSize: setBlockSize,
          embeddings,
          onEmbeddings: setEmbeddings,
          quantize,
          onQuantize: doQuantize,
          result,
          download,
        })
      : null,
    summary ? h(RunPanel, { specs, onSpecs: setSpecs, runBoth, onRun: doRun, result, runResult }) : null,
  );
}
