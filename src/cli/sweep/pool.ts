/**
 * The sweep's worker pool: K worker processes (worker.ts, forked), each running whole
 * runs. Processes rather than threads: measured on a 2-vCPU VM (bench:sweep), two
 * workers gave 1.45x over one as processes and 1.36x as worker threads of one process
 * (which share V8's background threads), and with as many
 * workers as cores each process runs V8 single-threaded (--single-threaded), so its
 * background compiler and GC threads do not take the other worker's core; a lone worker
 * keeps them (they use the idle core). The processes start when the pool is made, so
 * they load kubesim's modules while the main process still validates the grid. `run` hands out the runs in the order given (grid
 * order), the next one to whichever worker answers first, and calls `onDone` with
 * each finished run. After the first failure it hands out nothing more, lets the runs
 * in flight finish (so no worker is stopped halfway through writing its folder) and
 * rejects with the failure. The results do not depend on K: each run is a pure
 * function of its task.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { RunAnswer, RunTask } from "./runTask.js";

/** The compiled worker beside this file (dist/src/cli/sweep/worker.js). */
const WORKER_PATH = fileURLToPath(new URL("./worker.js", import.meta.url));

type Worker = ChildProcess;

export class RunFailure extends Error {
  constructor(
    readonly task: RunTask,
    readonly answer: Exclude<RunAnswer, { ok: true }>,
  ) {
    super(answer.kind === "plugin" ? answer.detail : answer.message);
  }
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** An error a worker died of before `run` (reported by `run`). */
  private startFailure: unknown = null;

  constructor(count: number) {
    const execArgv = count >= 2 && count >= availableParallelism() ? ["--single-threaded"] : [];
    for (let i = 0; i < count; i++) {
      const w = fork(WORKER_PATH, [], { execArgv, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
      // Until `run` listens, a worker that fails to start is remembered, not thrown.
      w.on("error", (e) => (this.startFailure ??= e));
      this.workers.push(w);
    }
  }

  run(tasks: readonly RunTask[], onDone: (task: RunTask, dir: string) => void): Promise<void> {
    if (this.startFailure !== null) return Promise.reject(this.startFailure);
    if (tasks.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const current = new Map<Worker, RunTask>();
      let next = 0;
      let failure: unknown = null;
      let settled = false;

      const settle = () => {
        if (settled || current.size > 0 || (failure === null && next < tasks.length)) return;
        settled = true;
        if (failure === null) resolve();
        else reject(failure);
      };
      const give = (w: Worker) => {
        if (failure !== null || next >= tasks.length) return;
        const t = tasks[next++];
        current.set(w, t);
        w.send(t);
      };
      const fail = (e: unknown) => {
        if (failure === null) failure = e;
      };

      for (const w of this.workers) {
        w.on("message", (a: RunAnswer) => {
          const t = current.get(w)!;
          current.delete(w);
          if (a.ok) {
            try {
              onDone(t, a.dir);
            } catch (e) {
              fail(e);
            }
          } else fail(new RunFailure(t, a));
          give(w);
          settle();
        });
        w.on("error", (e) => {
          // An uncaught error kills the worker: its task fails, the others finish.
          current.delete(w);
          fail(e);
          settle();
        });
        w.on("exit", (code) => {
          if (settled || !current.has(w)) return;
          current.delete(w);
          fail(new Error(`a sweep worker exited with code ${code} during a run`));
          settle();
        });
        give(w);
      }
    });
  }

  /** Stop every worker (after `run`, or when the sweep stops before it). */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null || w.signalCode !== null) return resolve();
            w.once("exit", () => resolve());
            w.disconnect();
          }),
      ),
    );
  }
}
