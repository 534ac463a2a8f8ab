/**
 * The DefaultTolerationSeconds admission plugin
 * (plugin/pkg/admission/defaulttolerationseconds): every pod that does not already
 * tolerate node.kubernetes.io/not-ready:NoExecute (resp. unreachable) gets a toleration
 * for it with tolerationSeconds 300, so its pods stay bound to a failed node for five
 * minutes before taint-based eviction deletes them. A toleration counts when its key is
 * the taint's or empty, and its effect NoExecute or empty.
 */
import type { Pod, Toleration } from "../../model/types.js";
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from "../../model/wellKnown.js";

/** kube-apiserver --default-not-ready-toleration-seconds default. */
export const DEFAULT_NOT_READY_TOLERATION_SECONDS = 300;
/** kube-apiserver --default-unreachable-toleration-seconds default. */
export const DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300;

const covers = (t: Toleration, key: string) => (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect);

export function addDefaultTolerationSeconds(pod: Pod): Pod {
  const tolerations = pod.spec?.tolerations ?? [];
  const notReady = tolerations.some((t) => covers(t, TAINT_NODE_NOT_READY));
  const unreachable = tolerations.some((t) => covers(t, TAINT_NODE_UNREACHABLE));
  if (notReady && unreachable) return pod;
  const added = [...tolerations];
  if (!notReady) added.push({ key: TAINT_NODE_NOT_READY, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_NOT_READY_TOLERATION_SECONDS });
  if (!unreachable) added.push({ key: TAINT_NODE_UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_UNREACHABLE_TOLERATION_SECONDS });
  return { ...pod, spec: { ...pod.spec!, tolerations: added } };
}
