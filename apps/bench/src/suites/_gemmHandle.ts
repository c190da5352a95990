/** What a GEMM bench needs of a session: one inference on fixed feeds, and its release. */
interface _Session<F, R> {
  run(feeds: F): Promise<R>;
  release(): Promise<void>;
}

/**
 * A session with its fixed feeds, as the GEMM suites time it (onnxruntime-node and onnxruntime-web alike):
 * `run` one inference, `result` the output Y of one, `release` the session.
 *
 * @example
 * const g = gemmHandle(session, { A, B }); // session: an onnxruntime InferenceSession of Y = A B
 * await g.run();
 * (await g.result()).length; // m * n
 */
export function gemmHandle<F, R extends Record<string, { readonly data: unknown }>>(
  session: _Session<F, R>,
  feeds: F,
) {
  const run = () => session.run(feeds);
  return {
    run,
    result: async () => (await run()).Y!.data as Int32Array | Float32Array,
    release: () => session.release(),
  };
}
