#!/usr/bin/env node
// Generates src/_gen/onnx_pb.ts from proto/onnx.proto with buf and protoc-gen-es (both devDependencies:
// buf's binary ships in its npm package). Run by hand after editing the schema, then commit the output:
// `pnpm --filter @quantkit/onnx generate`. Builds and tests never run it.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(pkg, "node_modules", ".bin", name);
const template = {
  version: "v2",
  plugins: [
    {
      local: bin("protoc-gen-es"),
      out: "src/_gen",
      opt: ["target=ts", "import_extension=none"],
    },
  ],
};
execFileSync(bin("buf"), ["generate", "proto", "--template", JSON.stringify(template)], {
  cwd: pkg,
  stdio: "inherit",
});
console.log("wrote src/_gen/onnx_pb.ts");
