/**
 * Upstream's FitError text (pkg/scheduler/framework/types.go FitError.Error), the
 * message of a FailedScheduling event and of the pod's PodScheduled=False condition:
 *
 *   "0/<all nodes> nodes are available: <count> <reason>, ...." [+ " " + PostFilter message]
 *
 * The "<count> <reason>" strings are sorted as strings (so "10 ..." sorts before
 * "2 ..."), each reason of each node counted once. When PreFilter rejected the pod its
 * message replaces the per-node histogram. The PostFilter part is DefaultPreemption's
 * status message, itself a FitError over the dry run ("preemption: 0/3 nodes are
 * available: 3 No preemption victims found for incoming pod."); upstream appends it
 * with " %v", so no period is added after it.
 */

/** NoNodeAvailableMsg with the reasons histogram: reason -> number of nodes. */
export function fitErrorMessage(numAllNodes: number, reasons: ReadonlyMap<string, number>, postFilterMessage = ""): string {
  const parts = [...reasons].map(([r, c]) => `${c} ${r}`).sort();
  const histogram = parts.length === 0 ? "" : ` ${parts.join(", ")}.`;
  return withPostFilter(`0/${numAllNodes} nodes are available:${histogram}`, postFilterMessage);
}

/** The FitError text when PreFilter rejected the pod: its message instead of the histogram. */
export function preFilterFitErrorMessage(numAllNodes: number, preFilterMessage: string, postFilterMessage = ""): string {
  return withPostFilter(`0/${numAllNodes} nodes are available: ${preFilterMessage}.`, postFilterMessage);
}

function withPostFilter(msg: string, postFilterMessage: string): string {
  return postFilterMessage === "" ? msg : `${msg} ${postFilterMessage}`;
}

/** Count each reason of a node once into `into` (the histogram above). */
export function countReasons(into: Map<string, number>, reasons: readonly string[]): void {
  for (const r of reasons) into.set(r, (into.get(r) ?? 0) + 1);
}

/**
 * fitErrorMessage with a one-entry memo: a pod that keeps failing for the same reasons
 * (the common case while it waits) gets the previous string back without sorting and
 * joining again. Exact: the text is a function of (numAllNodes, histogram, PostFilter
 * message), all compared.
 */
export class FitErrorFormatter {
  private last = new Map<string, number>();
  private lastNodes = -1;
  private lastPostFilter = "";
  private lastMessage = "";

  format(numAllNodes: number, reasons: ReadonlyMap<string, number>, postFilterMessage = ""): string {
    if (numAllNodes === this.lastNodes && postFilterMessage === this.lastPostFilter && sameCounts(reasons, this.last)) return this.lastMessage;
    this.last.clear();
    for (const [r, c] of reasons) this.last.set(r, c);
    this.lastNodes = numAllNodes;
    this.lastPostFilter = postFilterMessage;
    this.lastMessage = fitErrorMessage(numAllNodes, reasons, postFilterMessage);
    return this.lastMessage;
  }
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [r, c] of a) if (b.get(r) !== c) return false;
  return true;
}
