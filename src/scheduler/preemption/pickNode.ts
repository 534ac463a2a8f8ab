/**
 * pickOneNodeForPreemption (pkg/scheduler/framework/preemption/preemption.go): among
 * the candidate nodes, keep those best by each criterion in turn, stopping when one
 * is left:
 *   1. fewest PDB violations;
 *   2. lowest priority of the most important victim;
 *   3. smallest sum of victim priorities (each offset by MaxInt32 + 1, so negative
 *      priorities add up correctly);
 *   4. fewest victims;
 *   5. latest start time among the highest-priority victims (evict younger pods);
 *   6. the first remaining node (candidate order).
 */
export interface Candidate {
  node: number;
  /** Victim pod rows, most important first (priority desc, then earlier start). */
  victims: number[];
  pdbViolations: number;
}

/** Victim facts pickOneNode needs. */
export interface VictimFacts {
  priority(victim: number): number;
  startUs(victim: number): number;
}

const PRIORITY_OFFSET = 2 ** 31; // MaxInt32 + 1

export function pickOneNodeForPreemption(candidates: readonly Candidate[], facts: VictimFacts): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const criteria: Array<(c: Candidate) => number> = [
    (c) => -c.pdbViolations,
    (c) => -facts.priority(c.victims[0]),
    (c) => -c.victims.reduce((s, v) => s + facts.priority(v) + PRIORITY_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c, facts),
  ];
  let left = [...candidates];
  for (const score of criteria) {
    let best = -Infinity;
    let kept: Candidate[] = [];
    for (const c of left) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) kept.push(c);
    }
    if (kept.length === 1) return kept[0];
    left = kept;
  }
  return left[0];
}

/** util.GetEarliestPodStartTime: the earliest start among the victims of the top priority. */
function earliestStartOfHighestPriority(c: Candidate, facts: VictimFacts): number {
  const top = facts.priority(c.victims[0]);
  let earliest = Infinity;
  for (const v of c.victims) if (facts.priority(v) === top && facts.startUs(v) < earliest) earliest = facts.startUs(v);
  return earliest;
}
