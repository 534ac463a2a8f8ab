/**
 * The kubelet's image pullers against hand-computed timelines, one node pulling at
 * b = 100 MiB/s: an image of 1 GiB takes 10.24 s alone, 512 MiB 5.12 s, 100 MiB 1 s.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../../src/engine/simulation.js";
import { NodeImages } from "../../../src/kubelet/runtime/imageCache.js";
import { ImagePuller, PULL_QPS_EXCEEDED, type PullerConfig } from "../../../src/kubelet/runtime/imagePuller.js";

const MI = 2 ** 20;
const GI = 2 ** 30;
const X = 0, Y = 1, Z = 2;

function rig(config: Partial<PullerConfig>) {
  const sim = new Simulation(1);
  const cache = new NodeImages();
  const puller = new ImagePuller(
    sim,
    { bandwidthBytesPerS: 100 * MI, serialize: true, maxParallel: Infinity, registryQps: 0, registryBurst: 0, failureProbability: 0, ...config },
    sim.rng.stream("test"),
    () => cache,
  );
  const answers: { pod: number; atS: number; error: string }[] = [];
  puller.done = (req, error) => answers.push({ pod: req.pod, atS: sim.now / 1e6, error });
  const ask = (pod: number, image: number, sizeBytes: number) => puller.request({ node: 0, image, sizeBytes, pod, gen: 0 });
  return { sim, cache, puller, answers, ask };
}

describe("image pullers", () => {
  it("serialized: one pull at a time in FIFO order; a queued request for an image pulled meanwhile moves no bytes", () => {
    const { sim, answers, ask, puller } = rig({});
    ask(1, X, GI);
    ask(2, Y, 512 * MI);
    ask(3, X, GI);
    expect(puller.queued(0)).toBe(2);
    sim.run();
    expect(answers).toEqual([
      { pod: 1, atS: 10.24, error: "" },
      { pod: 2, atS: 15.36, error: "" },
      { pod: 3, atS: 15.36, error: "" },
    ]);
    expect(puller.bytesPulled).toBe(GI + 512 * MI);
  });

  it("parallel: transfers share the bandwidth equally; the smaller ends, the other speeds up", () => {
    const { sim, answers, ask } = rig({ serialize: false });
    ask(1, X, GI);
    ask(2, Y, 512 * MI);
    ask(3, X, GI); // joins X's transfer
    sim.run();
    // Y: 512 MiB at 50 MiB/s = 10.24 s; X then has 512 MiB left at 100 MiB/s: 5.12 s more.
    expect(answers).toEqual([
      { pod: 2, atS: 10.24, error: "" },
      { pod: 1, atS: 15.36, error: "" },
      { pod: 3, atS: 15.36, error: "" },
    ]);
  });

  it("maxParallelImagePulls 2: the third waits for a slot", () => {
    const { sim, answers, ask } = rig({ serialize: false, maxParallel: 2 });
    ask(1, X, 100 * MI);
    ask(2, Y, 100 * MI);
    ask(3, Z, 100 * MI);
    sim.run();
    expect(answers.map((a) => [a.pod, a.atS])).toEqual([
      [1, 2],
      [2, 2],
      [3, 3],
    ]);
  });

  it("registryPullQPS / registryBurst: TryAccept, a pull without a token fails at once", () => {
    const { sim, answers, ask, cache } = rig({ serialize: false, registryQps: 1, registryBurst: 2 });
    cache.add(X, GI, 0); // present: each pull is a manifest check, no bytes
    ask(1, X, GI);
    ask(2, X, GI);
    ask(3, X, GI);
    sim.run();
    expect(answers).toEqual([
      { pod: 1, atS: 0, error: "" },
      { pod: 2, atS: 0, error: "" },
      { pod: 3, atS: 0, error: PULL_QPS_EXCEEDED },
    ]);
    // one token per second refills
    sim.schedule(1e6, sim.on("ask", () => ask(4, X, GI)));
    sim.run();
    expect(answers.at(-1)).toEqual({ pod: 4, atS: 1, error: "" });
  });

  it("a node crash aborts its transfers: no answer, no image", () => {
    const { sim, answers, ask, cache, puller } = rig({});
    ask(1, X, GI);
    ask(2, Y, GI);
    sim.schedule(5e6, sim.on("crash", () => puller.abort(0)));
    sim.run();
    expect(answers).toEqual([]);
    expect(cache.has(X)).toBe(false);
  });
});

describe("image pullers: invariants", () => {
  it("work-conserving: requests made at once finish when the distinct images' bytes are in, serialized or not; serialized answers in request order", async () => {
    const fc = await import("fast-check");
    fc.assert(
      fc.property(
        fc.array(fc.record({ image: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(1, 2, 3, Infinity),
        (reqs, maxParallel) => {
          const sizeOf = (image: number) => (image + 1) * 64 * MI; // 0.64 s per 64 MiB at 100 MiB/s
          const { sim, answers, ask } = rig({ serialize: maxParallel === 1, maxParallel });
          reqs.forEach((r, i) => ask(i, r.image, sizeOf(r.image)));
          sim.run();
          expect(answers).toHaveLength(reqs.length);
          const distinct = [...new Set(reqs.map((r) => r.image))];
          const totalS = distinct.reduce((s, image) => s + sizeOf(image), 0) / (100 * MI);
          expect(Math.abs(Math.max(...answers.map((a) => a.atS)) - totalS)).toBeLessThanOrEqual(distinct.length * 1e-6);
          if (maxParallel === 1) expect(answers.map((a) => a.pod)).toEqual(reqs.map((_, i) => i));
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});
