/**
 * NodePorts (PreFilter, Filter): the pod's container hostPorts must be free on the
 * node. A wanted (protocol, port, hostIP) conflicts with a used one of the same
 * protocol and port when either hostIP is 0.0.0.0 or both are equal
 * (HostPortInfo.CheckConflict). PreFilter skips pods without host ports.
 */
import { Code, verdict, type CycleState, type FilterPlugin, type PreFilterPlugin, type StatusCode } from "../framework.js";
import type { CompiledPod } from "../compiled.js";

export const NODE_PORTS = "NodePorts";
/** Upstream ErrReason. */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const REJECT = verdict(Code.Unschedulable, 1);
/** Host IP id of 0.0.0.0 (ClusterStrings interns it first). */
const ANY_IP = 0;

export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = NODE_PORTS;
  /** Node-local Filter: the verdict depends only on the pod template and the node (the cycle memoizes it). */
  readonly nodeLocalFilter = true;
  readonly reasons = [ERR_REASON_NODE_PORTS];

  preFilter(_state: CycleState, pod: CompiledPod): StatusCode {
    return pod.hostPorts.length === 0 ? Code.Skip : Code.Success;
  }

  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): void {
    const used = state.snapshot.nodeHostPorts;
    const want = pod.hostPorts;
    for (let i = 0; i < count; i++) out[i] = conflicts(want, used[nodes[i]]) ? REJECT : 0;
  }
}

function conflicts(want: Int32Array, used: number[]): boolean {
  for (let w = 0; w < want.length; w += 2) {
    for (let u = 0; u < used.length; u += 2) {
      if (want[w] !== used[u]) continue;
      const a = want[w + 1];
      const b = used[u + 1];
      if (a === ANY_IP || b === ANY_IP || a === b) return true;
    }
  }
  return false;
}
