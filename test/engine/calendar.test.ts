import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Calendar } from "../../src/engine/calendar.js";
import { Simulation } from "../../src/engine/simulation.js";

function drain(c: Calendar): [number, number, number][] {
  const out: [number, number, number][] = [];
  while (c.pop()) out.push([c.time, c.handler, c.a0]);
  return out;
}

describe("calendar", () => {
  it("pops events in time order", () => {
    const c = new Calendar();
    for (const t of [50, 10, 40, 20, 30]) c.schedule(t, 0, t);
    expect(drain(c).map((e) => e[0])).toEqual([10, 20, 30, 40, 50]);
  });

  it("runs same-instant events in the order they were scheduled", () => {
    const c = new Calendar();
    for (let i = 0; i < 100; i++) c.schedule(i % 3 === 0 ? 5 : 7, 0, i);
    const order = drain(c);
    const at5 = order.filter((e) => e[0] === 5).map((e) => e[2]);
    const at7 = order.filter((e) => e[0] === 7).map((e) => e[2]);
    expect(at5).toEqual([...at5].sort((a, b) => a - b));
    expect(at7).toEqual([...at7].sort((a, b) => a - b));
    expect(at5.length + at7.length).toBe(100);
  });

  it("matches a stable sort by (time, insertion order) for any schedule", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const c = new Calendar();
        times.forEach((t, i) => c.schedule(t, 0, i));
        const expected = times.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(drain(c).map((e) => [e[0], e[2]])).toEqual(expected);
      }),
    );
  });

  it("cancels without running the event, and a stale handle is a no-op", () => {
    const c = new Calendar();
    const a = c.scheduleCancellable(10, 1, 1);
    c.schedule(20, 2, 2);
    expect(c.cancel(a)).toBe(true);
    expect(c.cancel(a)).toBe(false);
    expect(c.size).toBe(1);
    // The slot of `a` is reused by a new event; the old handle must not cancel it.
    const b = c.scheduleCancellable(5, 3, 3);
    expect(c.cancel(a)).toBe(false);
    expect(c.isPending(b)).toBe(true);
    expect(drain(c).map((e) => e[1])).toEqual([3, 2]);
  });

  it("keeps order under interleaved schedules, pops and cancels (model check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ op: fc.constant("s" as const), dt: fc.integer({ min: 0, max: 5 }) }), fc.record({ op: fc.constant("p" as const) }), fc.record({ op: fc.constant("c" as const), k: fc.nat() })), { maxLength: 400 }),
        (ops) => {
          const c = new Calendar();
          let now = 0;
          let seq = 0;
          const model: { t: number; s: number; h: number }[] = [];
          for (const o of ops) {
            if (o.op === "s") {
              const t = now + o.dt;
              const h = c.scheduleCancellable(t, 0, seq);
              model.push({ t, s: seq++, h });
            } else if (o.op === "p") {
              model.sort((x, y) => x.t - y.t || x.s - y.s);
              const m = model.shift();
              expect(c.pop()).toBe(m !== undefined);
              if (m) {
                expect([c.time, c.a0]).toEqual([m.t, m.s]);
                now = m.t;
              }
            } else if (model.length > 0) {
              const [m] = model.splice(o.k % model.length, 1);
              expect(c.cancel(m.h)).toBe(true);
            }
            expect(c.size).toBe(model.length);
          }
        },
      ),
    );
  });
});

describe("calendar over wide time ranges", () => {
  it("orders times across the 2^32 boundary and up to 2^52, with pops bounded by a limit", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant("s" as const), dt: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 ** 40 })) }),
            fc.record({ op: fc.constant("p" as const), lim: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 2 ** 41 })) }),
            fc.record({ op: fc.constant("c" as const), k: fc.nat() }),
          ),
          { maxLength: 300 },
        ),
        fc.integer({ min: 0, max: 2 ** 51 }),
        (ops, start) => {
          const c = new Calendar();
          c.schedule(start, 0, -1);
          expect(c.pop()).toBe(true);
          let now = start;
          let seq = 0;
          const model: { t: number; s: number; h: number }[] = [];
          for (const o of ops) {
            if (o.op === "s") {
              const t = now + o.dt;
              model.push({ t, s: seq, h: c.scheduleCancellable(t, 0, seq++) });
            } else if (o.op === "p") {
              const limit = o.lim === Infinity ? Infinity : now + o.lim;
              model.sort((x, y) => x.t - y.t || x.s - y.s);
              const m = model.length > 0 && model[0].t <= limit ? model.shift() : undefined;
              expect(c.pop(limit)).toBe(m !== undefined);
              if (m) {
                expect([c.time, c.a0]).toEqual([m.t, m.s]);
                now = m.t;
              } else if (limit !== Infinity) {
                now = Math.max(now, limit); // the simulation's clock moves to the limit
              }
            } else if (model.length > 0) {
              const [m] = model.splice(o.k % model.length, 1);
              expect(c.cancel(m.h)).toBe(true);
            }
            expect(c.size).toBe(model.length);
            const next = model.reduce((a, e) => Math.min(a, e.t), Infinity);
            expect(c.peek()).toBe(next);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("simulation", () => {
  it("advances the clock to each event and to the deadline", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const h = sim.on("tick", () => {
      seen.push(sim.now);
      if (sim.now < 50) sim.schedule(10, h);
    });
    sim.schedule(0, h);
    sim.run(35);
    expect(seen).toEqual([0, 10, 20, 30]);
    expect(sim.now).toBe(35);
    sim.run();
    expect(seen).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it("run(until) stops at the deadline even when cancelled events lie before it", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const h = sim.on("x", (a0) => seen.push(a0));
    const dead = sim.timer(10, h, 1);
    sim.schedule(30, h, 2);
    sim.cancel(dead);
    sim.run(20);
    expect(seen).toEqual([]);
    expect(sim.now).toBe(20);
    sim.schedule(0, h, 3); // at the deadline itself: allowed and runs next
    sim.run();
    expect(seen).toEqual([3, 2]);
  });

  it("a timer can be cancelled; schedule() returns nothing to box", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const h = sim.on("x", (a0) => seen.push(a0));
    const t = sim.timer(5, h, 1);
    expect(sim.schedule(6, h, 2)).toBeUndefined();
    expect(sim.cancel(t)).toBe(true);
    sim.run();
    expect(seen).toEqual([2]);
  });

  it("rejects scheduling into the past", () => {
    const sim = new Simulation(1);
    const h = sim.on("x", () => {});
    sim.run(100);
    expect(() => sim.scheduleAt(50, h)).toThrow(/before now/);
    expect(() => sim.schedule(-1, h)).toThrow(/negative/);
  });
});
