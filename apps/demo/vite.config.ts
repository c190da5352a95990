import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig } from "vite";

// The explainer web app. Sibling packages are read from source (their "@quantkit/source" export
// condition points at src/index.ts), in the page and in the Web Worker alike, so the app never
// waits on a package build. Everything is bundled: no CDN, no network at run time.
const root = fileURLToPath(new URL(".", import.meta.url));
const conditions = ["@quantkit/source", ...defaultClientConditions];

export default defineConfig({
  root,
  // Relative asset URLs: dist/ works from any static server path, or straight from disk.
  base: "./",
  resolve: { conditions },
  worker: {
    format: "es",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The heavy parts (the worker with nn/ptq/qat and the MNIST digits, gpu.js) are separate chunks
    // loaded on demand; the first page needs only the shell and the first section.
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  preview: { host: "127.0.0.1", port: 4173, strictPort: false },
  server: { host: "127.0.0.1" },
});
