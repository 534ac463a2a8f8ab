/**
 * Pauses in successful bindings (POST pods/binding answered 2xx), as the API server sees
 * them: the measure of "scheduling stopped" after a control-plane fault. Both the
 * kube-scheduler's real bindings and the synthetic ones of the background load count.
 *
 * A pause is a gap longer than the threshold: several mean inter-binding times (and at
 * least 1 s) when a synthetic binding rate is set; with only the workloads' bindings,
 * whose rate is not known here, a fixed 5 s (kubesim's choice: long next to the 1-10 s
 * binding backoff of a busy scheduler, short next to a lease failover). Sparse workloads
 * (fewer than about one pod per few seconds) can show pauses that are only quiet periods.
 */
import { US_PER_S } from "../engine/simulation.js";
import { isSuccess } from "./verbs.js";

export const PAUSE_THRESHOLD_REAL_BINDINGS_US = 5 * US_PER_S;

/** A stretch of time without a successful binding (scheduling paused). */
export interface SchedulingGap {
  fromUs: number;
  toUs: number;
}

export class BindingPauses {
  lastBindingUs = 0;
  ok = 0;
  failed = 0;
  /** Gaps between successful bindings longer than `thresholdUs`. */
  readonly gaps: SchedulingGap[] = [];
  readonly thresholdUs: number;

  constructor(syntheticBindingsPerSecond: number) {
    this.thresholdUs = syntheticBindingsPerSecond > 0 ? Math.max(US_PER_S, (5 * US_PER_S) / syntheticBindingsPerSecond) : PAUSE_THRESHOLD_REAL_BINDINGS_US;
  }

  /** The answer to a binding at `nowUs`. */
  record(status: number, nowUs: number): void {
    if (!isSuccess(status)) {
      this.failed++;
      return;
    }
    this.ok++;
    if (nowUs - this.lastBindingUs > this.thresholdUs) this.gaps.push({ fromUs: this.lastBindingUs, toUs: nowUs });
    this.lastBindingUs = nowUs;
  }

  /** Close an open gap at the end of the run. */
  finish(endUs: number): void {
    if (endUs - this.lastBindingUs > this.thresholdUs) this.gaps.push({ fromUs: this.lastBindingUs, toUs: endUs });
  }
}
