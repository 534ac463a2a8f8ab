/** Builds small etcd clusters for tests: one member per host, hosts spread over zones. */
import { Simulation, US_PER_MS } from "../../src/engine/simulation.js";
import { Disks } from "../../src/infra/disk.js";
import { Network } from "../../src/infra/network.js";
import type { LeaderChange, OutcomeCode, RaftConfig, RequestKindCode, RoleCode } from "../../src/etcd/api.js";
import { EtcdCluster, type EtcdInitialState } from "../../src/etcd/etcdCluster.js";

export interface Answer {
  tag: number;
  kind: RequestKindCode;
  outcome: OutcomeCode;
  latencyUs: number;
  atUs: number;
}

export interface RoleEvent {
  timeUs: number;
  member: number;
  role: RoleCode;
  term: number;
}

export interface TestCluster {
  sim: Simulation;
  net: Network;
  disks: Disks;
  etcd: EtcdCluster;
  hosts: number[];
  client: number;
  clientHost: number;
  answers: Answer[];
  elections: LeaderChange[];
  roles: RoleEvent[];
}

export function makeCluster(
  members: number,
  seed: number | string = 1,
  raft: Partial<RaftConfig> = {},
  opts: { learners?: number; initialState?: EtcdInitialState } = {},
): TestCluster {
  const sim = new Simulation(seed);
  const net = new Network(sim);
  const hosts: number[] = [];
  for (let i = 0; i < members; i++) hosts.push(net.addHost(`cp-${i}`, `zone-${i % 3}`));
  const clientHost = net.addHost("client", "zone-0");
  const disks = new Disks(sim);
  const learners = opts.learners ?? 0;
  const etcd = new EtcdCluster(sim, {
    network: net,
    disks,
    raft,
    initialState: opts.initialState,
    members: hosts.map((h, i) => ({ name: `etcd-${i}`, host: h, learner: i >= members - learners })),
  });
  const answers: Answer[] = [];
  const elections: LeaderChange[] = [];
  const roles: RoleEvent[] = [];
  const client = etcd.addClient(clientHost, {
    onEtcdResponse(tag, kind, outcome, latencyUs) {
      answers.push({ tag, kind, outcome, latencyUs, atUs: sim.now });
    },
  });
  etcd.observe({
    onLeaderElected: (c) => elections.push(c),
    onRoleChange: (timeUs, member, role, term) => roles.push({ timeUs, member, role, term }),
  });
  return { sim, net, disks, etcd, hosts, client, clientHost, answers, elections, roles };
}

/** Run until a cluster leader exists (or `limitUs` passes); returns it or -1. */
export function runUntilLeader(c: TestCluster, limitUs = 30_000 * US_PER_MS): number {
  const end = c.sim.now + limitUs;
  while (c.etcd.leader() < 0 && c.sim.now < end && c.sim.step()) {}
  return c.etcd.leader();
}
