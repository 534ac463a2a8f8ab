/**
 * The preemption evaluator of DefaultPreemption (pkg/scheduler/framework/preemption
 * and plugins/defaultpreemption), on the snapshot:
 *
 * 1. eligibility: not preemptionPolicy Never; not while a lower-priority pod on the
 *    pod's nominated node is still terminating (a preemption already under way);
 * 2. candidates: nodes whose filter status was Unschedulable (never
 *    UnschedulableAndUnresolvable), from a random offset, until
 *    max(n * minCandidateNodesPercentage / 100, minCandidateNodesAbsolute) (at most n)
 *    candidates are found, stopping early only once a PDB-respecting one exists;
 * 3. per node, a dry run: remove every lower-priority pod (plugins' removePod hooks
 *    keep PreFilter state right); if the pod still does not fit, the node is out;
 *    otherwise reprieve victims, PDB-violating ones first, each group most important
 *    first, keeping each one whose return still lets the pod fit;
 * 4. pickOneNodeForPreemption.
 * The dry run edits the snapshot in place and restores it exactly before returning.
 *
 * When no node can be made feasible, the outcome's reason is upstream's status
 * message (Evaluator.Preempt): a FitError over the dry run's node statuses, e.g.
 * "0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No
 * preemption victims found for incoming pod." Nodes not dry-run (not Unschedulable
 * in the filter diagnosis) count as "Preemption is not helpful for scheduling"
 * (SetAbsentNodesStatus); a node with no lower-priority pod as "No preemption victims
 * found for incoming pod"; a node where the pod does not fit even without them under
 * the reasons of the filter that still rejects it.
 */
import type { PodDisruptionBudget } from "../../model/types.js";
import type { CompiledPod } from "../compiled.js";
import { Code, type CycleState, type FilterDiagnosis } from "../framework.js";
import type { Snapshot } from "../snapshot.js";
import { countReasons, FitErrorFormatter } from "../fitError.js";
import { splitByPdbViolation, type VictimLabels } from "./pdb.js";
import { pickOneNodeForPreemption, type Candidate } from "./pickNode.js";

/** What the evaluator needs from the profile running it (framework.Handle). */
export interface PreemptionHost {
  readonly snapshot: Snapshot;
  /** RunFilterPluginsWithNominatedPods for one node: does `pod` pass every filter on `node`? */
  fitsOnNode(state: CycleState, pod: CompiledPod, node: number): boolean;
  /** The reasons of the filter that rejected `pod` in the last fitsOnNode(...) that returned false (read at once). */
  lastFitReasons(state: CycleState, pod: CompiledPod, node: number): string[];
  /** RunPreFilterExtensionRemovePod / AddPod over the profile's PreFilter plugins. */
  removePodHook(state: CycleState, pod: CompiledPod, victim: number, node: number): void;
  addPodHook(state: CycleState, pod: CompiledPod, victim: number, node: number): void;
  /** The preemptor's current status.nominatedNodeName as a node row, -1 for none. */
  nominatedNodeOf(state: CycleState, pod: CompiledPod): number;
  /** A uniform integer in [0, n) from a seeded stream (the random candidate offset). */
  randomInt(n: number): number;
  /**
   * Optional: prepare the dry run (DefaultPreemption re-runs PreFilter); false when the
   * pod is rejected there, and no preemption is attempted [kubesim simplification].
   */
  beginDryRun?(state: CycleState, pod: CompiledPod): boolean;
}

export interface PreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

export interface PreemptionOutcome {
  /** Node to nominate, -1 when preemption cannot help. */
  node: number;
  victims: number[];
  pdbViolations: number;
  /**
   * Why not, when node = -1: upstream's status message (without DefaultPreemption's
   * "preemption: " prefix); "" when there is nothing to say.
   */
  reason: string;
}

/** Status of a node the dry run did not consider (preemption.go nodesWherePreemptionMightHelp / SetAbsentNodesStatus). */
export const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
/** Status of a node with no lower-priority pod (SelectVictimsOnNode). */
export const NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod";

/** A node the dry run ruled out, with upstream's status reasons for it. */
export interface NodeRejection {
  reasons: string[];
}
/** The common rejection, shared (the dry run visits every Unschedulable node of a failed cycle). */
const NO_VICTIMS: NodeRejection = Object.freeze({ reasons: Object.freeze([NO_PREEMPTION_VICTIMS]) as string[] });

/** calculateNumCandidates. */
export function numCandidates(numNodes: number, args: PreemptionArgs): number {
  let n = Math.trunc((numNodes * args.minCandidateNodesPercentage) / 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  if (n > numNodes) n = numNodes;
  return n;
}

/** MoreImportantPod: higher priority first, then the earlier start time. */
export function moreImportant(s: Snapshot, a: number, b: number): number {
  const pa = s.podPriority[a];
  const pb = s.podPriority[b];
  if (pa !== pb) return pb - pa;
  return s.podStartUs[a] - s.podStartUs[b];
}

export function podEligibleToPreemptOthers(host: PreemptionHost, state: CycleState, pod: CompiledPod, diagnosis: FilterDiagnosis): string {
  if (pod.preemptionPolicy === "Never") return "not eligible due to preemptionPolicy=Never.";
  const nominated = host.nominatedNodeOf(state, pod);
  if (nominated >= 0 && diagnosis.code(nominated) !== Code.UnschedulableAndUnresolvable) {
    const s = host.snapshot;
    const list = s.nodePods[nominated];
    for (let i = 0, c = s.nodes.podCount[nominated]; i < c; i++) {
      const p = list[i];
      if (s.podPriority[p] < pod.priority && s.podTerminating[p] === 1) return "not eligible due to a terminating pod on the nominated node.";
    }
  }
  return "";
}

/** SelectVictimsOnNode. Returns the node's rejection (upstream's status reasons) when it cannot become feasible. */
export function selectVictimsOnNode(
  host: PreemptionHost,
  state: CycleState,
  pod: CompiledPod,
  node: number,
  pdbs: readonly PodDisruptionBudget[],
): { victims: number[]; pdbViolations: number } | NodeRejection {
  const s = host.snapshot;
  const potential: number[] = [];
  const list = s.nodePods[node];
  for (let i = 0, c = s.nodes.podCount[node]; i < c; i++) if (s.podPriority[list[i]] < pod.priority) potential.push(list[i]);
  if (potential.length === 0) return NO_VICTIMS;
  const removed = new Set<number>();
  const remove = (v: number) => {
    s.removePod(v);
    host.removePodHook(state, pod, v, node);
    removed.add(v);
  };
  const restore = (v: number) => {
    s.restorePod(v, node);
    host.addPodHook(state, pod, v, node);
    removed.delete(v);
  };
  try {
    for (const v of potential) remove(v);
    // Read the reasons now: they may depend on the node's state without the victims.
    if (!host.fitsOnNode(state, pod, node)) return { reasons: host.lastFitReasons(state, pod, node) };
    potential.sort((a, b) => moreImportant(s, a, b));
    const labels: VictimLabels[] = potential.map((v) => ({
      name: s.podNames[v].slice(s.podNames[v].indexOf("/") + 1),
      namespace: s.podCompiled[v].namespace,
      labels: s.podCompiled[v].labels,
    }));
    const [violating, nonViolating] = splitByPdbViolation(labels, pdbs);
    const victims: number[] = [];
    let pdbViolations = 0;
    const reprieve = (v: number): boolean => {
      restore(v);
      if (host.fitsOnNode(state, pod, node)) return true;
      remove(v);
      victims.push(v);
      return false;
    };
    for (const i of violating) if (!reprieve(potential[i])) pdbViolations++;
    for (const i of nonViolating) reprieve(potential[i]);
    if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => moreImportant(s, a, b));
    return { victims, pdbViolations };
  } finally {
    // Undo the dry run: every pod still removed goes back (hooks keep plugin state exact).
    for (const v of [...removed]) restore(v);
  }
}

/** Preempt: candidates, dry runs, the chosen node. Does not delete anything. */
export function findPreemption(
  host: PreemptionHost,
  state: CycleState,
  pod: CompiledPod,
  diagnosis: FilterDiagnosis,
  args: PreemptionArgs,
  messages: FitErrorFormatter = new FitErrorFormatter(),
): PreemptionOutcome {
  const notEligible = podEligibleToPreemptOthers(host, state, pod, diagnosis);
  if (notEligible !== "") return noNode(notEligible);
  const s = host.snapshot;
  const N = s.presentNodeCount; // rows without a Node object are not nodes to the scheduler
  const potentialNodes: number[] = [];
  for (let n = 0; n < s.nodeCount; n++) if (diagnosis.code(n) === Code.Unschedulable && !(s.absentNodes > 0 && s.absent[n] === 1)) potentialNodes.push(n);
  if (potentialNodes.length === 0) return noNode(messages.format(N, new Map([[PREEMPTION_NOT_HELPFUL, N]])));
  if (host.beginDryRun && !host.beginDryRun(state, pod)) return noNode("");
  const want = numCandidates(potentialNodes.length, args);
  const offset = host.randomInt(potentialNodes.length);
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  // Per-node statuses of the dry run, for the message when no node qualifies.
  const statuses = new Map<string, number>();
  let evaluated = 0;
  let noVictims = 0;
  for (let i = 0; i < potentialNodes.length; i++) {
    const node = potentialNodes[(offset + i) % potentialNodes.length];
    const r = selectVictimsOnNode(host, state, pod, node, s.pdbs);
    evaluated++;
    if ("reasons" in r) {
      if (r === NO_VICTIMS) noVictims++; // the common case, counted without the map
      else countReasons(statuses, r.reasons);
      continue;
    }
    (r.pdbViolations === 0 ? nonViolating : violating).push({ node, victims: r.victims, pdbViolations: r.pdbViolations });
    if (nonViolating.length > 0 && nonViolating.length + violating.length >= want) break;
  }
  if (nonViolating.length + violating.length === 0) {
    if (noVictims > 0) statuses.set(NO_PREEMPTION_VICTIMS, (statuses.get(NO_PREEMPTION_VICTIMS) ?? 0) + noVictims);
    if (N > evaluated) statuses.set(PREEMPTION_NOT_HELPFUL, (statuses.get(PREEMPTION_NOT_HELPFUL) ?? 0) + N - evaluated);
    return noNode(messages.format(N, statuses));
  }
  const best = pickOneNodeForPreemption([...nonViolating, ...violating], {
    priority: (v) => s.podPriority[v],
    startUs: (v) => s.podStartUs[v],
  });
  if (!best) return noNode("no candidate node for preemption");
  return { node: best.node, victims: best.victims, pdbViolations: best.pdbViolations, reason: "" };
}

function noNode(reason: string): PreemptionOutcome {
  return { node: -1, victims: [], pdbViolations: 0, reason };
}
