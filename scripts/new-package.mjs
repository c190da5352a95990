#!/usr/bin/env node
// Lays out a new @quantkit package the way every package is laid out:
//   node scripts/new-package.mjs <name> "<description>" [dep ...]
// Writes package.json, tsconfig.json, tsup.config.ts, README.md, LICENSE and src/index.ts
// (never overwrites an existing file).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: new-package.mjs <name> "<description>" [dep ...]');
  process.exit(2);
}
const dir = join(root, "packages", name);
mkdirSync(join(dir, "src"), { recursive: true });

const dependencies = {};
for (const d of deps) dependencies[d] = d.startsWith("@quantkit/") ? "workspace:^" : "*";

const pkg = {
  name: `@quantkit/${name}`,
  version: "0.1.0",
  description,
  license: "MIT",
  type: "module",
  sideEffects: false,
  main: "./dist/index.cjs",
  module: "./dist/index.js",
  types: "./dist/index.d.cts",
  exports: {
    ".": {
      "@quantkit/source": "./src/index.ts",
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    },
    "./package.json": "./package.json",
  },
  files: ["dist", "src", "!src/**/*.test.ts", "README.md", "LICENSE"],
  keywords: ["quantization", "neural-network", "int8", "quantkit"],
  repository: { type: "git", url: "git+https://example.invalid/quantkit.git", directory: `packages/${name}` },
  scripts: {
    build: "tsup",
    typecheck: "tsc -p tsconfig.json",
    test: `vitest run --root ../.. packages/${name}/`,
    lint: "biome check .",
    publint: "publint --strict && attw --pack . --profile node16",
  },
  dependencies,
  engines: { node: ">=20" },
};
const write = (file, text) => {
  const path = join(dir, file);
  if (!existsSync(path)) writeFileSync(path, text);
};
write("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
write(
  "tsconfig.json",
  `${JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src", "test", "bench"] }, null, 2)}\n`,
);
write(
  "tsup.config.ts",
  'import { quantkitTsup } from "../../tsup.config.base";\n\nexport default quantkitTsup();\n',
);
write("README.md", `# @quantkit/${name}\n\n${description}\n`);
write("src/index.ts", "export {};\n");
if (!existsSync(join(dir, "LICENSE"))) copyFileSync(join(root, "LICENSE"), join(dir, "LICENSE"));
console.log(`laid out packages/${name}`);
