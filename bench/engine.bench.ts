/**
 * Engine benchmark: the classic hold model. The queue is filled to a size, then each
 * event's handler schedules one more at now + exp(1 ms), so the queue size stays
 * constant; measured in steady state, the seeded exp() draw included.
 *
 * Case "hold" is kubesim's engine (radix calendar, handler dispatch). Case
 * "hold-fastpriorityqueue" is the same model on FastPriorityQueue ordering slot ids by
 * (time, sequence), with the event payload in typed arrays: the library the project
 * first considered, kept as the measured baseline for the calendar's design.
 * Prints events/s and writes results/bench/engine.json.
 */
import b from "benny";
import FastPriorityQueue from "fastpriorityqueue";
import { Simulation } from "../src/engine/simulation.js";
import { RandomStreams } from "../src/engine/random.js";
import { writeBenchResults } from "./benchResults.js";

const QUEUE_SIZES = [10_000, 100_000];
const EVENTS_PER_OP = 100_000;
const MEAN_US = 1000;

function holdModel(queueSize: number): () => void {
  const sim = new Simulation(1);
  const rng = sim.rng.stream("bench.hold");
  const hold = sim.on("hold", () => {
    sim.schedule(rng.exponential(MEAN_US), hold);
  });
  for (let i = 0; i < queueSize; i++) sim.schedule(rng.exponential(MEAN_US), hold);
  // Reach the steady state of the hold model (each event rescheduled several times)
  // before measuring: the first pass over freshly filled queues is not representative.
  for (let i = 0; i < queueSize * 10; i++) sim.step();
  return () => {
    for (let i = 0; i < EVENTS_PER_OP; i++) sim.step();
  };
}

/** The baseline: FastPriorityQueue of slot ids, (time, seq) order, handler dispatch. */
function holdModelFastPriorityQueue(queueSize: number): () => void {
  const rng = new RandomStreams(1).stream("bench.hold");
  const cap = queueSize + 1;
  const time = new Float64Array(cap);
  const seq = new Float64Array(cap);
  const handlerOf = new Int32Array(cap);
  const free: number[] = [];
  let nextSeq = 0;
  let now = 0;
  const q = new FastPriorityQueue<number>((x, y) => time[x] < time[y] || (time[x] === time[y] && seq[x] < seq[y]));
  const schedule = (delay: number, h: number) => {
    const s = free.length > 0 ? free.pop()! : q.size;
    time[s] = now + Math.round(delay);
    seq[s] = nextSeq++;
    handlerOf[s] = h;
    q.add(s);
  };
  const handlers: (() => void)[] = [() => schedule(rng.exponential(MEAN_US), 0)];
  const step = () => {
    const s = q.poll()!;
    now = time[s];
    free.push(s);
    handlers[handlerOf[s]]();
  };
  for (let i = 0; i < queueSize; i++) schedule(rng.exponential(MEAN_US), 0);
  for (let i = 0; i < queueSize * 10; i++) step();
  return () => {
    for (let i = 0; i < EVENTS_PER_OP; i++) step();
  };
}

async function main(): Promise<void> {
  const rows: { case: string; queue_size: number; events_per_s: number }[] = [];
  const cases: [string, (n: number) => () => void][] = [
    ["hold", holdModel],
    ["hold-fastpriorityqueue", holdModelFastPriorityQueue],
  ];
  for (const queueSize of QUEUE_SIZES) {
    for (const [name, model] of cases) {
      const op = model(queueSize);
      await b.suite(
        `engine ${name}, queue size ${queueSize}`,
        b.add(`${name} ${queueSize}`, op),
        b.cycle(),
        b.complete((summary) => {
          for (const r of summary.results) rows.push({ case: name, queue_size: queueSize, events_per_s: Math.round(r.ops * EVENTS_PER_OP) });
        }),
      );
    }
  }
  for (const r of rows) console.log(`${r.case.padEnd(24)} queue_size=${String(r.queue_size).padEnd(7)} ${(r.events_per_s / 1e6).toFixed(2)} M events/s`);
  writeBenchResults("engine", rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
