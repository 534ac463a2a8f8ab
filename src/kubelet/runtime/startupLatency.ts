/**
 * The kubelet's pod startup latency tracker (pkg/kubelet/util/pod_startup_latency_tracker.go,
 * after kubernetes#131950, in 1.34/1.35 patch releases): what the SLI leaves out of a
 * pod's start.
 * - image pulling: each RecordImageStartedPulling (the image manager decided to pull,
 *   before the request waits in the puller's queue) opens a session; each
 *   RecordImageFinishedPulling (a successful pull) closes the oldest open one. A failed
 *   pull closes none, so its start pairs with a later success and the back-off counts as
 *   pulling. The pulling time is the union of the sessions (calculateImagePullingTime).
 * - init containers: each non-restartable init container's start to exit is summed
 *   (RecordInitContainerStarted / Finished); sidecars are not init runtime.
 * SLI = (all containers started - created) - pulling - init runtime.
 * Upstream also leaves out of the SLI histogram the pods that were unschedulable at
 * first and stateful pods; pods.csv gives every pod its value (docs/container-runtime.md).
 */

export class StartupTracker {
  private readonly openStarts: number[] = [];
  private readonly sessions: [number, number][] = [];
  private initStartUs = -1;
  initRuntimeUs = 0;

  pullStarted(nowUs: number): void {
    this.openStarts.push(nowUs);
  }

  pullFinished(nowUs: number): void {
    const start = this.openStarts.shift();
    if (start !== undefined) this.sessions.push([start, nowUs]);
  }

  initStarted(nowUs: number): void {
    this.initStartUs = nowUs;
  }

  initFinished(nowUs: number): void {
    if (this.initStartUs >= 0 && nowUs > this.initStartUs) this.initRuntimeUs += nowUs - this.initStartUs;
    this.initStartUs = -1;
  }

  /** The union of the closed pull sessions, in the order they closed. */
  pullingUs(): number {
    let total = 0;
    let end = -Infinity;
    this.sessions.forEach(([s, e], i) => {
      if (i === 0 || s > end) {
        total += e - s;
        end = e;
      } else if (e > end) {
        total += e - end;
        end = e;
      }
    });
    return total;
  }

  /** What the SLI subtracts from creation-to-started. */
  excludedUs(): number {
    return this.pullingUs() + this.initRuntimeUs;
  }
}
