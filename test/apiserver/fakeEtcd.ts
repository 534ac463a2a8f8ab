/**
 * A stand-in etcd for unit tests of the API servers and leader election: fixed round
 * trips, and a quorum switch. Without quorum, writes and linearizable reads time out
 * after etcd's request timeout (7 s), as the real ones do. Hand-computable on purpose.
 */
import { US_PER_S, type Simulation } from "../../src/engine/simulation.js";
import { EtcdOp, EtcdOutcome, type EtcdPort, type EtcdResponder } from "../../src/apiserver/etcdPort.js";

export const FAKE_REQUEST_TIMEOUT_US = 7 * US_PER_S;

export class FakeEtcd implements EtcdPort {
  quorum = true;
  readonly up: boolean[];
  writeUs: number;
  readUs: number;
  submitted = 0;
  private responder: EtcdResponder = () => {};
  private readonly hDone: number;
  private readonly outcomes: number[] = [];
  private readonly latencies: number[] = [];

  constructor(
    private readonly sim: Simulation,
    readonly hosts: number[],
    opts: { writeUs?: number; readUs?: number } = {},
  ) {
    this.up = hosts.map(() => true);
    this.writeUs = opts.writeUs ?? 2_000;
    this.readUs = opts.readUs ?? 1_000;
    this.hDone = sim.on("fakeEtcd.done", (tok, i) => this.responder(tok, this.outcomes[i] as EtcdOutcome, this.latencies[i]));
  }

  get memberCount(): number {
    return this.hosts.length;
  }
  memberHost(m: number): number {
    return this.hosts[m];
  }
  reachable(_fromHost: number, m: number): boolean {
    return this.up[m];
  }
  refused(_fromHost: number, m: number): boolean {
    return !this.up[m];
  }
  hasLeader(m: number): boolean {
    return this.up[m] && this.quorum;
  }
  setResponder(r: EtcdResponder): void {
    this.responder = r;
  }
  submit(op: EtcdOp, _fromHost: number, m: number, token: number): void {
    this.submitted++;
    let outcome = EtcdOutcome.Ok;
    let delay = op === EtcdOp.Write ? this.writeUs : this.readUs;
    if (!this.up[m]) {
      outcome = EtcdOutcome.Unavailable;
      delay = 0;
    } else if (!this.quorum && op !== EtcdOp.SerializableRead) {
      outcome = EtcdOutcome.Timeout;
      delay = FAKE_REQUEST_TIMEOUT_US;
    }
    this.outcomes.push(outcome);
    this.latencies.push(delay);
    this.sim.schedule(delay, this.hDone, token, this.outcomes.length - 1);
  }
}
