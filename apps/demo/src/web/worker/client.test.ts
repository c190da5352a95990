import { describe, expect, it } from "vitest";
import { ComputeClient, type WorkerLike } from "./client";
import { createDispatcher, type JobContext, type JobHandler } from "./dispatcher";
import { CancelledError, type FromWorker, type JobSpec, WorkerJobError } from "./protocol";

type TestJobs = {
  add: JobSpec<{ a: number; b: number }, never, number>;
  count: JobSpec<{ to: number }, { at: number }, string>;
  fail: JobSpec<{ value: number }, never, never>;
  spin: JobSpec<Record<string, never>, { step: number }, number>;
};

/** A client and a dispatcher joined in-process, each message structured-cloned and delivered a task later, as between threads. */
function connect(handlers: Record<string, JobHandler>) {
  const listeners: {
    message: ((e: { data: FromWorker }) => void)[];
    error: ((e: { message?: string }) => void)[];
  } = {
    message: [],
    error: [],
  };
  const dispatch = createDispatcher(
    handlers,
    (m) =>
      setTimeout(() => {
        for (const l of listeners.message) l({ data: structuredClone(m) });
      }),
    { yieldEveryMs: 0 },
  );
  const worker = {
    postMessage: (m) => setTimeout(() => dispatch(structuredClone(m))),
    addEventListener: (type: "message" | "error", l: never) => listeners[type].push(l),
  } as WorkerLike;
  const crash = (message: string) => {
    for (const l of listeners.error) l({ message });
  };
  return { client: new ComputeClient<TestJobs>(worker), crash };
}

const handlers: Record<string, JobHandler> = {
  add: (x: { a: number; b: number }) => x.a + x.b,
  count: async (x: { to: number }, ctx: JobContext<{ at: number }>) => {
    for (let i = 1; i <= x.to; i++) {
      ctx.progress({ at: i });
      await ctx.checkpoint();
    }
    return `counted to ${x.to}`;
  },
  fail: (x: { value: number }) => {
    throw new RangeError(`value must be positive, got ${x.value}`);
  },
  spin: async (_x: unknown, ctx: JobContext<{ step: number }>) => {
    for (let step = 0; ; step++) {
      ctx.progress({ step });
      await ctx.checkpoint();
    }
  },
};

describe("ComputeClient + createDispatcher", () => {
  it("run(job, input) resolves with the handler's output", async () => {
    const { client } = connect(handlers);
    await expect(client.run("add", { a: 2, b: 40 })).resolves.toBe(42);
    expect(client.pendingCount).toBe(0);
  });

  it("delivers every progress message, in order, before the result", async () => {
    const { client } = connect(handlers);
    const seen: number[] = [];
    const out = await client.run("count", { to: 5 }, { onProgress: (p) => seen.push(p.at) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(out).toBe("counted to 5");
  });

  it("keeps concurrent jobs apart", async () => {
    const { client } = connect(handlers);
    const [a, b, c] = await Promise.all([
      client.run("add", { a: 1, b: 1 }),
      client.run("count", { to: 3 }),
      client.run("add", { a: -5, b: 2 }),
    ]);
    expect([a, b, c]).toEqual([2, "counted to 3", -3]);
  });

  it("rejects with the worker's error class name and message", async () => {
    const { client } = connect(handlers);
    const error = await client.run("fail", { value: -3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerJobError);
    expect((error as Error).name).toBe("RangeError");
    expect((error as Error).message).toBe("fail: value must be positive, got -3");
  });

  it("rejects an unknown job with a TypeError listing the known ones", async () => {
    const { client } = connect(handlers);
    const error = (await (client as unknown as ComputeClient<{ nope: JobSpec }>)
      .run("nope", {})
      .catch((e) => e)) as Error;
    expect(error.name).toBe("TypeError");
    expect(error.message).toContain('unknown job "nope"');
    expect(error.message).toContain("add, count, fail, spin");
  });

  it("cancels a running job through its AbortSignal", async () => {
    const { client } = connect(handlers);
    const controller = new AbortController();
    let steps = 0;
    const run = client.run(
      "spin",
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          steps = p.step;
          if (p.step === 10) controller.abort();
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBeGreaterThanOrEqual(10);
    expect(steps).toBeLessThan(20);
    // the worker is still usable
    await expect(client.run("add", { a: 1, b: 2 })).resolves.toBe(3);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const { client } = connect(handlers);
    await expect(client.run("add", { a: 1, b: 2 }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });

  it("rejects pending and later jobs when the worker fails", async () => {
    const { client, crash } = connect(handlers);
    const run = client.run("spin", {});
    crash("SyntaxError in worker.js");
    await expect(run).rejects.toThrow("the compute worker failed: SyntaxError in worker.js");
    await expect(client.run("add", { a: 1, b: 2 })).rejects.toThrow("the compute worker failed");
  });
});

describe("JobContext.signal", () => {
  it("aborts when the page cancels the job", async () => {
    const { client } = connect({
      wait: (_: unknown, ctx: JobContext<never>) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
        ),
    });
    const controller = new AbortController();
    const run = (client as unknown as ComputeClient<{ wait: JobSpec }>).run(
      "wait",
      {},
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 5);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });
});

describe("JobContext.checkpoint", () => {
  it("yields only when yieldEveryMs have passed", async () => {
    let clock = 0;
    const yields: number[] = [];
    const posted: FromWorker[] = [];
    const dispatch = createDispatcher(
      {
        job: async (_: unknown, ctx: JobContext<never>) => {
          for (let i = 0; i < 10; i++) {
            clock += 10; // each step "takes" 10 ms
            const before = clock;
            let yielded = false;
            setTimeout(() => {
              yielded = true;
            }, 0);
            await ctx.checkpoint();
            if (yielded) yields.push(before);
          }
          return "done";
        },
      },
      (m) => posted.push(m),
      { yieldEveryMs: 30, now: () => clock },
    );
    dispatch({ type: "run", id: 1, job: "job", input: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(posted).toEqual([{ type: "result", id: 1, data: "done" }]);
    expect(yields).toEqual([30, 60, 90]);
  });
});
