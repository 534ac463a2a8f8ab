/**
 * Control-plane metrics as the run goes: API requests by verb (latency, status),
 * etcd requests as the API servers see them (write/read latency), leader changes of
 * etcd and of the component leases. Per sample interval the recorder turns them into
 * CSV rows (see csvTables.ts); recording allocates nothing.
 */
import { US_PER_S } from "../engine/simulation.js";
import { EtcdOp, EtcdOutcome } from "./etcdPort.js";
import { REASON_NAMES, RESOURCE_NAMES, Status, VERB_COUNT, isSuccess, type Reason, type Resource, type Verb } from "./verbs.js";
import { LatencyHistogram, SUB_BUCKET_BITS_COARSE } from "../metrics/latencyHistogram.js";

/** Per-verb counters for one interval. */
export class VerbCounters {
  requests = 0;
  ok = 0;
  conflict = 0;
  /** Refused by admission (403 Forbidden, 404 namespace gone): a correct answer of a healthy API. */
  refused = 0;
  tooMany = 0;
  serverError = 0;
  connectionFailed = 0;
  readonly latency = new LatencyHistogram(SUB_BUCKET_BITS_COARSE);

  count(status: number, latencyUs: number): void {
    this.requests++;
    if (isSuccess(status)) this.ok++;
    else if (status === Status.Conflict) this.conflict++;
    else if (status === Status.Forbidden || status === Status.NotFound) this.refused++;
    else if (status === Status.TooManyRequests) this.tooMany++;
    else if (status === Status.ConnectionFailed) this.connectionFailed++;
    else this.serverError++;
    this.latency.record(latencyUs);
  }

  reset(): void {
    this.requests = this.ok = this.conflict = this.refused = this.tooMany = this.serverError = this.connectionFailed = 0;
    this.latency.reset();
  }
}

export interface ElectionRow {
  sim_time_s: number;
  cause: string;
  old_leader: string;
  new_leader: string;
  term: number;
  no_leader_ms: number;
}

export interface LeaseRow {
  sim_time_s: number;
  lease: string;
  holder: string;
  event: "acquired" | "lost";
}

export interface EventRow {
  sim_time_s: number;
  kind: string;
  object: string;
  message: string;
}

export class ControlPlaneMetrics {
  readonly verbs: VerbCounters[] = Array.from({ length: VERB_COUNT }, () => new VerbCounters());
  /** Whole-run totals by verb. */
  readonly verbTotals: VerbCounters[] = Array.from({ length: VERB_COUNT }, () => new VerbCounters());
  /** Whole-run totals by verb and resource, at verb x RESOURCE_NAMES.length + resource (see `totals`). */
  readonly resourceTotals: VerbCounters[] = Array.from({ length: VERB_COUNT * RESOURCE_NAMES.length }, () => new VerbCounters());
  readonly etcdWrite = new LatencyHistogram(SUB_BUCKET_BITS_COARSE);
  readonly etcdRead = new LatencyHistogram(SUB_BUCKET_BITS_COARSE);
  readonly etcdWriteTotal = new LatencyHistogram(SUB_BUCKET_BITS_COARSE);
  readonly etcdReadTotal = new LatencyHistogram(SUB_BUCKET_BITS_COARSE);
  etcdRequests = 0;
  etcdWritesOk = 0;
  etcdFailures = 0;
  /** Requests answered from the watch cache (never reached etcd). */
  cacheReads = 0;
  readonly elections: ElectionRow[] = [];
  readonly leases: LeaseRow[] = [];
  readonly events: EventRow[] = [];

  /** Failed requests of this interval by reason (Reason codes; 0 unused). */
  readonly reasons = new Float64Array(REASON_NAMES.length);

  apiRequest(verb: Verb, resource: Resource, status: number, latencyUs: number, reason: Reason): void {
    this.reasons[reason]++;
    this.verbs[verb].count(status, latencyUs);
    this.verbTotals[verb].count(status, latencyUs);
    this.resourceTotals[verb * RESOURCE_NAMES.length + resource].count(status, latencyUs);
  }

  /** Whole-run counters of one verb on one resource (e.g. create pods, patch pods/status). */
  totals(verb: Verb, resource: Resource): VerbCounters {
    return this.resourceTotals[verb * RESOURCE_NAMES.length + resource];
  }

  etcdRequest(op: EtcdOp, outcome: EtcdOutcome, latencyUs: number): void {
    this.etcdRequests++;
    if (outcome !== EtcdOutcome.Ok) {
      this.etcdFailures++;
      return;
    }
    if (op === EtcdOp.Write) {
      this.etcdWritesOk++;
      this.etcdWrite.record(latencyUs);
      this.etcdWriteTotal.record(latencyUs);
    } else {
      this.etcdRead.record(latencyUs);
      this.etcdReadTotal.record(latencyUs);
    }
  }

  /** Also sends events here (the cluster's events.csv), when set. */
  eventSink: ((nowUs: number, kind: string, object: string, message: string) => void) | null = null;

  event(nowUs: number, kind: string, object: string, message: string): void {
    this.events.push({ sim_time_s: nowUs / US_PER_S, kind, object, message });
    this.eventSink?.(nowUs, kind, object, message);
  }

  /** Start a new sample interval. */
  resetInterval(): void {
    for (const v of this.verbs) v.reset();
    this.reasons.fill(0);
    this.etcdWrite.reset();
    this.etcdRead.reset();
    this.etcdWritesOk = 0;
  }
}
