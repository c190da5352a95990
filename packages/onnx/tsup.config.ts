import { quantkitTsup } from "../../tsup.config.base";

// Two entries: the browser-safe core, and the Node helpers (files) behind "@quantkit/onnx/node".
export default quantkitTsup({ entry: ["src/index.ts", "src/node.ts"] });
