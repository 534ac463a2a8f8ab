/**
 * etcd benchmark: simulated writes per wall-clock second. A 3- or 5-member cluster (one
 * member per zone, etcd defaults, default network and fsync distributions) serves a
 * closed loop of 256 writers spread over the members (as API servers in a stacked
 * topology write to their local member): each writer sends its next put as soon as the
 * previous one is answered. One benchmark operation runs the simulation until 10,000
 * more writes are answered. Prints writes/s and writes results/bench/etcd.json.
 * Target: >= 1,000,000 simulated writes per wall-clock minute (16,667/s).
 */
import b from "benny";
import { Simulation, US_PER_S } from "../src/engine/simulation.js";
import { Disks } from "../src/infra/disk.js";
import { Network } from "../src/infra/network.js";
import { EtcdCluster } from "../src/etcd/etcdCluster.js";
import { Outcome } from "../src/etcd/api.js";
import { writeBenchResults } from "./benchResults.js";

const MEMBER_COUNTS = [3, 5];
const WRITERS = 256;
const WRITES_PER_OP = 10_000;

function writeLoop(members: number): { op: () => void; describe: () => string } {
  const sim = new Simulation(1);
  const net = new Network(sim);
  const hosts = Array.from({ length: members }, (_, i) => net.addHost(`cp-${i}`, `zone-${i % 3}`));
  const etcd = new EtcdCluster(sim, {
    network: net,
    disks: new Disks(sim),
    members: hosts.map((h, i) => ({ name: `etcd-${i}`, host: h })),
  });
  let answered = 0;
  let failed = 0;
  const clients: number[] = [];
  for (let m = 0; m < members; m++) {
    const member = m;
    clients.push(
      etcd.addClient(hosts[m], {
        onEtcdResponse(tag, _kind, outcome) {
          answered++;
          if (outcome !== Outcome.OK) failed++;
          etcd.put(clients[member], member, tag);
        },
      }),
    );
  }
  sim.run(3 * US_PER_S); // elect a leader
  for (let w = 0; w < WRITERS; w++) etcd.put(clients[w % members], w % members, w);
  return {
    op: () => {
      const target = answered + WRITES_PER_OP;
      while (answered < target && sim.step()) {}
    },
    describe: () =>
      `${answered} writes answered (${failed} failed) in ${(sim.now / US_PER_S).toFixed(1)} simulated s ` +
      `(${Math.round(answered / (sim.now / US_PER_S - 3))} writes per simulated s), ${etcd.stats.fsyncs} fsyncs, ` +
      `${etcd.stats.messagesSent} messages`,
  };
}

async function main(): Promise<void> {
  const rows: { case: string; members: number; writes_per_s: number }[] = [];
  for (const members of MEMBER_COUNTS) {
    const loop = writeLoop(members);
    await b.suite(
      `etcd writes, ${members} members`,
      b.add(`write ${members}`, loop.op),
      b.cycle(),
      b.complete((summary) => {
        for (const r of summary.results) {
          rows.push({ case: "write", members, writes_per_s: Math.round(r.ops * WRITES_PER_OP) });
        }
      }),
    );
    console.log(`  ${loop.describe()}`);
  }
  for (const r of rows) {
    const perMin = r.writes_per_s * 60;
    console.log(
      `write members=${r.members}: ${r.writes_per_s.toLocaleString("en-US")} simulated writes per wall-clock s ` +
        `= ${(perMin / 1e6).toFixed(2)} M per minute (target >= 1 M/min: ${perMin >= 1e6 ? "met" : "NOT met"})`,
    );
  }
  writeBenchResults("etcd", rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
