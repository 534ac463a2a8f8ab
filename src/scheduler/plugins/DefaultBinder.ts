/**
 * DefaultBinder (Bind): upstream creates a v1 Binding through the API server. In the
 * snapshot the pod is already on its node after Reserve/assume, so binding here only
 * confirms the assumed row; the simulation's scheduler component (scheduler.ts) sends
 * the Binding through its API-server client and calls this when it succeeds.
 */
import { Code, type BindPlugin, type CycleState, type StatusCode } from "../framework.js";
import type { CompiledPod } from "../compiled.js";

export const DEFAULT_BINDER = "DefaultBinder";

export class DefaultBinder implements BindPlugin {
  readonly name = DEFAULT_BINDER;
  bind(state: CycleState, _pod: CompiledPod, podId: number, node: number): StatusCode {
    const snap = state.snapshot;
    if (podId < 0 || snap.podNode[podId] !== node) return Code.Error;
    snap.podAssumed[podId] = 0;
    return Code.Success;
  }
}
