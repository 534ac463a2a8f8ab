/**
 * After a node is chosen: assume the pod on it, undo that, bind.
 *
 *   assume  schedule_one.go assume() (cache.AssumePod: the pod counts on the node
 *           before the binding is written) then RunReservePluginsReserve; a failing
 *           Reserve runs Unreserve in reverse order and forgets the pod
 *           (pkg/scheduler/framework/runtime/framework.go).
 *   forget  binding failed: RunReservePluginsUnreserve (reverse order) and
 *           cache.ForgetPod (pkg/scheduler/backend/cache).
 *   bind    RunBindPlugins: bind plugins in order until one does not Skip.
 *
 * Assumed pods live in the snapshot as rows flagged assumed (Snapshot.addPod), so the
 * next cycle sees their requests; Permit and PreBind are not modelled.
 */
import type { CompiledPod } from "./compiled.js";
import { Code, type CycleState, type StatusCode } from "./framework.js";
import type { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Assume the pod on `node`: add it to the snapshot (requested sums, pod lists), then
 * run Reserve plugins; if one fails, Unreserve runs in reverse order and the pod is
 * taken off again. Returns the new pod row, or -1 when Reserve failed.
 */
export function assume(profile: Profile, state: CycleState, snapshot: Snapshot, pod: CompiledPod, name: string, node: number, startUs: number): number {
  const id = snapshot.addPod(pod, name, node, startUs, true);
  const rs = profile.reserve;
  for (let i = 0; i < rs.length; i++) {
    if (rs[i].reserve(state, pod, node) !== Code.Success) {
      for (let j = i; j >= 0; j--) rs[j].unreserve(state, pod, node);
      snapshot.removePod(id);
      return -1;
    }
  }
  return id;
}

/** Unreserve (reverse order) and forget an assumed pod (binding failed). */
export function forget(profile: Profile, state: CycleState, snapshot: Snapshot, podId: number): void {
  const node = snapshot.podNode[podId];
  if (node < 0) return;
  const pod = snapshot.podCompiled[podId];
  const rs = profile.reserve;
  for (let j = rs.length - 1; j >= 0; j--) rs[j].unreserve(state, pod, node);
  snapshot.removePod(podId);
}

/** Run the bind plugins in order until one does not Skip (DefaultBinder marks it bound). */
export function bind(profile: Profile, state: CycleState, snapshot: Snapshot, podId: number): StatusCode {
  const node = snapshot.podNode[podId];
  const pod = snapshot.podCompiled[podId];
  for (const b of profile.bind) {
    const code = b.bind(state, pod, podId, node);
    if (code !== Code.Skip) return code;
  }
  return Code.Skip;
}
