/**
 * When the kubelet starts a container again after it was killed for failing its
 * liveness or startup probe: CrashLoopBackOff as kuberuntime decides it.
 *
 * Upstream (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions, SyncPod,
 * doBackOff; k8s.io/client-go/util/flowcontrol/backoff.go):
 * - a container that failed its liveness (or startup) probe is killed and, unless
 *   restartPolicy is Never, put in ContainersToStart of the same SyncPod;
 * - before starting it, doBackOff looks at the pod status read at the start of that
 *   SyncPod, in which the killed container was still running: the latest *exited*
 *   instance is the one before it (none for the first kill: the container starts at
 *   once and no back-off entry is made);
 * - IsInBackOffSince(key, ts = that instance's finishedAt): an entry exists, has not
 *   expired (ts - lastUpdate <= 2 x MaxContainerBackOff = 600 s) and now - ts < backoff;
 *   if not in back-off, Next(key, ts) and start at once: the entry starts at 10 s
 *   (containerBackOffPeriod; it also restarts there when expired) or doubles, capped at
 *   300 s (MaxContainerBackOff), and lastUpdate := now;
 * - if in back-off, the start waits; the next syncs see the just-killed instance as
 *   the latest exited one, so it starts once now - its finishedAt >= backoff (kubesim:
 *   exactly then; upstream at the first pod sync after that), with Next at that time.
 * So a container killed every ~30 s restarts at once the first times, and waits once
 * its back-off outgrows its life. The kubelet's container back-off has no jitter
 * (flowcontrol.NewBackOff). The alpha gates KubeletCrashLoopBackOffMax and
 * ReduceDefaultCrashLoopBackOffDecay are off by default and not modelled.
 */
import { grown, nextCapacity } from "../../engine/columns.js";
import { US_PER_S } from "../../engine/simulation.js";

/** pkg/kubelet/kubelet.go containerBackOffPeriod. */
export const CONTAINER_BACKOFF_START_US = 10 * US_PER_S;
/** pkg/kubelet/kubelet.go MaxContainerBackOff. */
export const CONTAINER_BACKOFF_MAX_US = 300 * US_PER_S;
/** flowcontrol hasExpired: an entry is stale when eventTime - lastUpdate > 2 x maxDuration. */
const EXPIRY_FACTOR = 2;

/** Per pod (one key per pod: kubesim restarts a pod's containers as one). */
export class CrashLoopBackOff {
  /** The entry's backoff (us), 0 = no entry. */
  private backoffUs = new Float64Array(0);
  private lastUpdateUs = new Float64Array(0);
  /** finishedAt of the latest exited instance (us), -1 = none. */
  private lastFinishUs = new Float64Array(0);

  private ensure(pod: number): void {
    if (pod < this.backoffUs.length) return;
    const n = nextCapacity(this.backoffUs.length, pod + 1);
    const from = this.backoffUs.length;
    this.backoffUs = grown(this.backoffUs, n);
    this.lastUpdateUs = grown(this.lastUpdateUs, n);
    this.lastFinishUs = grown(this.lastFinishUs, n).fill(-1, from);
  }

  private inBackOffSince(pod: number, tsUs: number, nowUs: number): boolean {
    if (this.backoffUs[pod] === 0) return false;
    if (tsUs - this.lastUpdateUs[pod] > EXPIRY_FACTOR * CONTAINER_BACKOFF_MAX_US) return false;
    return nowUs - tsUs < this.backoffUs[pod];
  }

  private next(pod: number, tsUs: number, nowUs: number): void {
    const b = this.backoffUs[pod];
    if (b === 0 || tsUs - this.lastUpdateUs[pod] > EXPIRY_FACTOR * CONTAINER_BACKOFF_MAX_US) this.backoffUs[pod] = CONTAINER_BACKOFF_START_US;
    else this.backoffUs[pod] = Math.min(2 * b, CONTAINER_BACKOFF_MAX_US);
    this.lastUpdateUs[pod] = nowUs;
  }

  /**
   * The killed container exited at `finishedUs` (now): how long until the kubelet starts
   * it again (0 = in this SyncPod). Records the back-off step the start makes.
   */
  restartDelayUs(pod: number, finishedUs: number): number {
    this.ensure(pod);
    const previous = this.lastFinishUs[pod];
    this.lastFinishUs[pod] = finishedUs;
    if (previous < 0) return 0;
    if (!this.inBackOffSince(pod, previous, finishedUs)) {
      this.next(pod, previous, finishedUs);
      return 0;
    }
    // Waits until the just-exited instance is out of its back-off, then Next(finishedAt).
    const delayUs = this.inBackOffSince(pod, finishedUs, finishedUs) ? this.backoffUs[pod] : 0;
    this.next(pod, finishedUs, finishedUs + delayUs);
    return delayUs;
  }

  /** Current entry (us), 0 = none: for tests and the docs. */
  backoffOf(pod: number): number {
    return pod < this.backoffUs.length ? this.backoffUs[pod] : 0;
  }
}
