// A Node module-resolution hook (registered by quantkit.mjs): resolves the workspace's
// @quantkit/* packages through their "@quantkit/source" export condition, i.e. from src/*.ts,
// so the command runs on a fresh clone without a build (tsx compiles the TypeScript).
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes("@quantkit/source")
    ? context.conditions
    : [...context.conditions, "@quantkit/source"];
  return nextResolve(specifier, { ...context, conditions });
}
