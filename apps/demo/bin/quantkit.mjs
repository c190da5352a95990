#!/usr/bin/env node
// The `quantkit` command. It runs the TypeScript sources directly: a resolve hook picks the
// workspace packages' "@quantkit/source" condition and tsx compiles on the fly, so no build step is
// needed on a fresh clone (start-up cost measured in src/cli/README.md).
import { register } from "node:module";

register("./source-condition.mjs", import.meta.url);
const { register: registerTsx } = await import("tsx/esm/api");
registerTsx();
const { main } = await import("../src/cli/main.ts");
// A caller may hand the arguments over after a literal "--" (`pnpm start -- --bits 4`): dropped.
const argv = process.argv.slice(2);
process.exitCode = await main(argv[0] === "--" ? argv.slice(1) : argv);
