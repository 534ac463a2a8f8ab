/**
 * PodDisruptionBudgets as preemption sees them (defaultpreemption
 * filterPodsWithPDBViolation): a victim "violates" a PDB when a PDB in its
 * namespace selects it, it is not already in status.disruptedPods, and counting it
 * takes the PDB's remaining status.disruptionsAllowed below zero. A PDB with a nil
 * or empty selector matches nothing. Set-up work, not a hot path.
 */
import type { LabelSelector, PodDisruptionBudget } from "../../model/types.js";

export interface VictimLabels {
  name: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
}

/** Does a metav1.LabelSelector select these labels? (nil/empty selector: no, for PDBs.) */
export function pdbSelects(sel: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!sel) return false;
  const ml = Object.entries(sel.matchLabels ?? {});
  const me = sel.matchExpressions ?? [];
  if (ml.length === 0 && me.length === 0) return false;
  for (const [k, v] of ml) if (labels[k] !== v) return false;
  for (const e of me) {
    const has = Object.hasOwn(labels, e.key);
    const v = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || !(e.values ?? []).includes(v)) return false;
        break;
      case "NotIn":
        if (has && (e.values ?? []).includes(v)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        // An invalid selector matches nothing (LabelSelectorAsSelector fails upstream).
        return false;
    }
  }
  return true;
}

/**
 * Split victims (already in importance order) into [violating, nonViolating], keeping
 * the order within each group. Returns index lists into `victims`.
 */
export function splitByPdbViolation(victims: readonly VictimLabels[], pdbs: readonly PodDisruptionBudget[]): [number[], number[]] {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: number[] = [];
  const nonViolating: number[] = [];
  victims.forEach((v, i) => {
    let violated = false;
    if (Object.keys(v.labels).length > 0) {
      pdbs.forEach((pdb, j) => {
        if ((pdb.metadata?.namespace ?? "default") !== v.namespace) return;
        if (!pdbSelects(pdb.spec?.selector, v.labels)) return;
        if (pdb.status?.disruptedPods && Object.hasOwn(pdb.status.disruptedPods, v.name)) return;
        allowed[j]--;
        if (allowed[j] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(i);
  });
  return [violating, nonViolating];
}
