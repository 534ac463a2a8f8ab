/**
 * One probe worker's results, as pkg/kubelet/prober/worker.go keeps them: the result
 * the kubelet acts on (the results manager's entry for the current container), the last
 * probe's result and how many times in a row it came.
 *
 * - A new container (a new container ID) resets the result to the probe type's initial
 *   value: readiness Failure (not ready), liveness Success, startup Unknown
 *   (newWorker's initialValue); the worker leaves hold. lastResult and resultRun are
 *   not reset (they carry over from the previous container, as upstream's do).
 * - A probe's result counts only when it came successThreshold (Success) or
 *   failureThreshold (Failure) times in a row; then it becomes the result.
 * - A liveness or startup Failure that becomes the result puts the worker on hold
 *   (no probing until a new container) and resets resultRun.
 */
import { ProbeType, type ProbeSpec } from "./probeSpec.js";

/** pkg/kubelet/prober/results Result. */
export const enum ProbeResult {
  Unknown = 0,
  Success = 1,
  Failure = 2,
}

export class ProbeWorkerState {
  /** The results manager's entry for the current container. */
  result: ProbeResult = ProbeResult.Unknown;
  lastResult: ProbeResult = ProbeResult.Unknown;
  resultRun = 0;
  onHold = false;
  /** The container instance this worker last saw (kubesim counts a pod's container starts), -1 = none. */
  instance = -1;

  constructor(readonly spec: ProbeSpec) {}

  /** The worker saw a container instance: a new one resets the result. */
  seeContainer(instance: number): void {
    if (instance === this.instance) return;
    this.instance = instance;
    this.result = initialResult(this.spec.type);
    this.onHold = false;
  }

  /** Records one probe's result; returns true when the worker's result was set (even to the same value). */
  record(result: ProbeResult): boolean {
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if ((result === ProbeResult.Failure && this.resultRun < this.spec.failureThreshold) || (result === ProbeResult.Success && this.resultRun < this.spec.successThreshold)) return false;
    this.result = result;
    if (this.spec.type !== ProbeType.Readiness && result === ProbeResult.Failure) {
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}

export function initialResult(type: ProbeType): ProbeResult {
  return type === ProbeType.Readiness ? ProbeResult.Failure : type === ProbeType.Liveness ? ProbeResult.Success : ProbeResult.Unknown;
}
