/**
 * Engine benchmark: the classic hold model. The queue is filled to a size, then each
 * operation runs one event whose handler schedules one more at now + exp(1 ms), so
 * the queue size stays constant. Prints events/s and writes results/bench/engine.json.
 */
import b from "benny";
import { Simulation } from "../src/engine/simulation.js";
import { writeBenchResults } from "./benchResults.js";

const QUEUE_SIZES = [10_000, 100_000];
const EVENTS_PER_OP = 100_000;

function holdModel(queueSize: number): () => void {
  const sim = new Simulation(1);
  const rng = sim.rng.stream("bench.hold");
  const hold = sim.on("hold", () => {
    sim.schedule(rng.exponential(1000), hold);
  });
  for (let i = 0; i < queueSize; i++) sim.schedule(rng.exponential(1000), hold);
  // Reach the steady state of the hold model (each event rescheduled several times)
  // before measuring: the first pass over freshly filled queues is not representative.
  for (let i = 0; i < queueSize * 10; i++) sim.step();
  return () => {
    for (let i = 0; i < EVENTS_PER_OP; i++) sim.step();
  };
}

async function main(): Promise<void> {
  const rows: { case: string; queue_size: number; events_per_s: number }[] = [];
  for (const queueSize of QUEUE_SIZES) {
    const op = holdModel(queueSize);
    await b.suite(
      `engine hold model, queue size ${queueSize}`,
      b.add(`hold ${queueSize}`, op),
      b.cycle(),
      b.complete((summary) => {
        for (const r of summary.results) {
          rows.push({ case: "hold", queue_size: queueSize, events_per_s: Math.round(r.ops * EVENTS_PER_OP) });
        }
      }),
    );
  }
  for (const r of rows) console.log(`hold queue_size=${r.queue_size}: ${(r.events_per_s / 1e6).toFixed(2)} M events/s`);
  writeBenchResults("engine", rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
