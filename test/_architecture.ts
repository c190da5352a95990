// The package graph as code: which workspace package may import which, and the facts read from the
// tree (declared dependencies, imports in published source, in tests and benches). Used by
// architecture.test.ts on the real tree and on small synthetic trees that must fail.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/**
 * The arrows of shared/design.md: a package may import exactly these workspace packages from its
 * published source (`src/`, tests excluded). Apps may import any package; nothing imports an app.
 */
export const ALLOWED_ARROWS: Readonly<Record<string, readonly string[]>> = {
  numeric: [],
  tensor: ["numeric"],
  quantizers: ["tensor", "numeric"],
  calibrators: ["quantizers", "tensor"],
  kernels: ["quantizers", "tensor"],
  "kernels-gpu": ["kernels", "quantizers", "tensor"],
  nn: ["tensor", "kernels", "numeric"],
  datasets: ["tensor"],
  weights: ["quantizers", "calibrators", "tensor", "numeric"],
  ptq: ["nn", "calibrators", "kernels", "quantizers", "tensor", "weights"],
  qat: ["ptq", "nn", "calibrators", "quantizers", "tensor"],
  onnx: ["quantizers", "calibrators", "weights", "numeric", "tensor", "nn", "ptq"],
};

/** Subpath-only arrows: onnx reaches nn and ptq only from its `@quantkit/onnx/nn` entry, as peers. */
export const PEER_ONLY: Readonly<Record<string, readonly string[]>> = { onnx: ["nn", "ptq"] };

/** Runtimes: heavy, native or GPU; imported only by kernels-gpu and the apps. */
export const RUNTIMES = ["onnxruntime-node", "onnxruntime-web", "onnxruntime-common", "gpu.js", "gl"];
const RUNTIME_IMPORTERS = new Set(["kernels-gpu"]);

export interface Workspace {
  kind: "package" | "app";
  /** Folder name: `kernels`, `demo`. */
  dir: string;
  name: string;
  dependencies: Set<string>;
  peerDependencies: Set<string>;
  devDependencies: Set<string>;
  /** The package.json scripts, joined: a dependency named there as a command (tsx, vite) is used. */
  scripts: string;
  /** Package name -> files (relative to the workspace) that import it, from published source. */
  sourceImports: Map<string, string[]>;
  /** The same for tests, benches, scripts and e2e code. */
  otherImports: Map<string, string[]>;
}

const builtins = new Set(builtinModules);

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`; relative paths and built-ins -> null. */
export function packageOf(specifier: string): string | null {
  if (/^(\.|\/|node:|virtual:)/.test(specifier)) return null;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
  return builtins.has(name) ? null : name;
}

function* sourceFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(m|c)?[jt]sx?$/.test(entry) && !entry.endsWith(".d.ts")) yield path;
  }
}

/** `import(x)`, `import.meta.resolve(x)`, `require(x)` and `require.resolve(x)` name a module. */
function _resolvesModule(callee: ts.Expression): boolean {
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  const text = callee.getText();
  return text === "import.meta.resolve" || text === "require" || text === "require.resolve";
}

/** Module specifiers of static imports and re-exports, `import()` calls and `import("x").T` types. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && _resolvesModule(node.expression)) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) out.push(lit.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const isTestFile = (path: string) => /\.test(-d)?\.[jt]sx?$/.test(path);

/** Published code: a package's `src/` without tests; an app's files but its tests and tool configs. */
function isSource(kind: Workspace["kind"], rel: string): boolean {
  if (isTestFile(rel) || rel.includes("__tests__")) return false;
  if (kind === "package") return rel.startsWith("src/");
  return !/^(test|e2e)\//.test(rel) && !/\.config\.[cm]?[jt]s$/.test(rel);
}

/** Reads one workspace folder (`packages/x` or `apps/x`) of the tree at `root`. */
export function readWorkspace(root: string, folder: string): Workspace {
  const base = join(root, folder);
  const pkg = JSON.parse(readFileSync(join(base, "package.json"), "utf8"));
  const keys = (o: unknown) => new Set(Object.keys((o as Record<string, string>) ?? {}));
  const kind = folder.startsWith("apps/") ? "app" : "package";
  const sourceImports = new Map<string, string[]>();
  const otherImports = new Map<string, string[]>();
  for (const file of sourceFiles(base)) {
    const rel = relative(base, file);
    const into = isSource(kind, rel) ? sourceImports : otherImports;
    for (const spec of importsOf(file)) {
      const name = packageOf(spec);
      if (name === null) continue;
      const list = into.get(name) ?? [];
      list.push(rel);
      into.set(name, list);
    }
  }
  return {
    kind,
    dir: folder.split("/")[1] as string,
    name: pkg.name,
    dependencies: keys(pkg.dependencies),
    peerDependencies: keys(pkg.peerDependencies),
    devDependencies: keys(pkg.devDependencies),
    scripts: Object.values((pkg.scripts as Record<string, string>) ?? {}).join("\n"),
    sourceImports,
    otherImports,
  };
}

/** Every workspace of the tree at `root`: `packages/*` and `apps/*` that have a package.json. */
export function readWorkspaces(root: string): Workspace[] {
  const out: Workspace[] = [];
  for (const group of ["packages", "apps"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      if (existsSync(join(dir, entry, "package.json"))) out.push(readWorkspace(root, `${group}/${entry}`));
    }
  }
  return out;
}

const short = (name: string) => name.replace(/^@quantkit\//, "");

/**
 * Every way the tree breaks the rules, one sentence each (empty when it holds): forbidden arrows,
 * imports of apps, runtimes outside kernels-gpu and the apps, undeclared imports, declared
 * dependencies that nothing imports, and cycles between packages.
 */
export function violations(
  workspaces: readonly Workspace[],
  { rootDevDependencies = [] }: { rootDevDependencies?: readonly string[] } = {},
): string[] {
  const tooling = new Set(rootDevDependencies);
  const out: string[] = [];
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  for (const w of workspaces) {
    const at = `${w.kind === "app" ? "apps" : "packages"}/${w.dir}`;
    for (const [dep, files] of w.sourceImports) {
      const target = byName.get(dep);
      if (target?.kind === "app") out.push(`${at} imports the app ${dep} (${files[0]})`);
      if (w.kind === "package" && target?.kind === "package") {
        const allowed = ALLOWED_ARROWS[w.dir];
        if (allowed === undefined) out.push(`${at} is not in the design's arrows (ALLOWED_ARROWS)`);
        else if (!allowed.includes(target.dir))
          out.push(`${at} -> ${target.dir} is not an arrow of the design (${files[0]})`);
        else if (PEER_ONLY[w.dir]?.includes(target.dir) && !w.peerDependencies.has(dep)) {
          out.push(`${at} imports ${dep} (${files[0]}) but the design makes it a peer dependency`);
        }
      }
      if (w.kind === "package" && RUNTIMES.includes(dep) && !RUNTIME_IMPORTERS.has(w.dir)) {
        out.push(`${at} imports the runtime ${dep} (${files[0]}): take the engine as an argument`);
      }
      if (!w.dependencies.has(dep) && !w.peerDependencies.has(dep)) {
        out.push(`${at} imports ${dep} (${files[0]}) without declaring it in dependencies`);
      }
    }
    for (const dep of [...w.dependencies, ...w.peerDependencies]) {
      if (dep.startsWith("@types/") || _namedInScripts(w.scripts, dep)) continue;
      if (!w.sourceImports.has(dep)) out.push(`${at} declares ${dep} but its source never imports it`);
    }
    for (const [dep, files] of w.otherImports) {
      if (dep === w.name || w.sourceImports.has(dep) || tooling.has(dep)) continue;
      if (!w.dependencies.has(dep) && !w.devDependencies.has(dep) && !w.peerDependencies.has(dep)) {
        out.push(`${at} imports ${dep} (${files[0]}) without declaring it (devDependencies for tests)`);
      }
    }
  }
  out.push(
    ...packageCycles(workspaces).map((c) => `import cycle between packages: ${c.map(short).join(" -> ")}`),
  );
  return out;
}

function _namedInScripts(scripts: string, dep: string): boolean {
  return new RegExp(`(^|[\\s&|;(])${dep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s|$)`, "m").test(scripts);
}

/** Cycles in the graph of source imports between workspace packages, each as a closed path. */
export function packageCycles(workspaces: readonly Workspace[]): string[][] {
  const names = new Set(workspaces.map((w) => w.name));
  const edges = new Map(
    workspaces.map((w) => [w.name, [...w.sourceImports.keys()].filter((d) => names.has(d))]),
  );
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === "open") cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of names) if (!state.has(n)) visit(n);
  return cycles;
}

/** `./x` from `dir` -> the file it names (`x.ts`, `x.tsx`, `x/index.ts`), or null when none exists. */
function _resolveRelative(dir: string, spec: string): string | null {
  const base = join(dir, spec.replace(/\.js$/, ""));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * Import cycles between the modules of each package's published source and each app's source
 * (`packages/x/src`, `apps/x/src`; tests excluded), type-only imports included: each as a closed path
 * of files relative to the repository.
 */
export function moduleCycles(root: string): string[][] {
  const cycles: string[][] = [];
  for (const kind of ["packages", "apps"]) {
    const dir = join(root, kind);
    if (existsSync(dir))
      for (const entry of readdirSync(dir).sort()) _cyclesOf(join(dir, entry), `${kind}/${entry}`, cycles);
  }
  return cycles;
}

/** Adds the import cycles among the non-test modules of `base/src` to `cycles`, labelled `label/...`. */
function _cyclesOf(base: string, label: string, cycles: string[][]): void {
  const edges = new Map<string, string[]>();
  for (const file of sourceFiles(join(base, "src"))) {
    if (isTestFile(file)) continue;
    const targets: string[] = [];
    for (const spec of importsOf(file)) {
      if (!spec.startsWith(".")) continue;
      const target = _resolveRelative(dirname(file), spec);
      if (target !== null) targets.push(target);
    }
    edges.set(file, targets);
  }
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === "open") {
        cycles.push([...stack.slice(stack.indexOf(m)), m].map((f) => `${label}/${relative(base, f)}`));
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);
}

/**
 * Where a package's tests are (d3's layout, issue #14): each public module, `src/<name>.ts` whose name
 * does not start with `_` (index.ts and node.ts, which only re-export, aside), has `test/<name>.test.ts`
 * (or `test/<name>.test-d.ts` for a module that only declares types, checked by tsc), and no test file
 * sits in `src/`. One sentence per breach, sorted; empty when the layout holds.
 */
export function testLayoutViolations(root: string): string[] {
  const out: string[] = [];
  const packagesDir = join(root, "packages");
  if (!existsSync(packagesDir)) return out;
  for (const entry of readdirSync(packagesDir).sort()) {
    const src = join(packagesDir, entry, "src");
    const test = join(packagesDir, entry, "test");
    if (!existsSync(src)) continue;
    for (const file of readdirSync(src).sort()) {
      const name = /^([^_].*)\.ts$/.exec(file)?.[1];
      if (
        name === undefined ||
        name === "index" ||
        name === "node" ||
        name.endsWith(".d") ||
        isTestFile(file)
      )
        continue;
      if (!statSync(join(src, file)).isFile()) continue;
      if (!existsSync(join(test, `${name}.test.ts`)) && !existsSync(join(test, `${name}.test-d.ts`)))
        out.push(`packages/${entry}/src/${file} has no test file test/${name}.test.ts (or .test-d.ts)`);
    }
    for (const file of sourceFiles(src)) {
      if (isTestFile(file))
        out.push(
          `packages/${entry}/${relative(join(packagesDir, entry), file)} is a test inside src/: tests live in test/`,
        );
    }
  }
  return out.sort();
}
