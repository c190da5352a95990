import { quantkitTsup } from "../../tsup.config.base";

// Three entries: the browser-safe core, the Node helpers (files) behind "@quantkit/onnx/node", and the
// bridge to @quantkit/nn and @quantkit/ptq (peer dependencies) behind "@quantkit/onnx/nn".
export default quantkitTsup({ entry: ["src/index.ts", "src/node.ts", "src/nn.ts"] });
