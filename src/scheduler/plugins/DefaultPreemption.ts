/**
 * DefaultPreemption (PostFilter): when no node fits, find the node where evicting
 * the fewest / least important lower-priority pods lets the pod fit, nominate it,
 * and ask the scheduler to delete the victims (see preemption/evaluator.ts).
 *
 * The plugin runs the profile's own Filter plugins for the dry run, so it needs the
 * Profile after it is built (`attach`), and a context from the scheduler component
 * with the pod's current nomination, a seeded random stream and the executor that
 * deletes victims gracefully. Without a context (explain, record mode) it never
 * preempts.
 */
import type { CompiledPod } from "../compiled.js";
import type { Profile } from "../profile.js";
import {
  Code,
  type CycleState,
  type FilterDiagnosis,
  type FilterPlugin,
  type FrameworkHandle,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreFilterPlugin,
} from "../framework.js";
import type { DefaultPreemptionArgs } from "../config/pluginArgs.js";
import { DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE, DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE } from "../config/pluginArgs.js";
import { findPreemption, type PreemptionHost, type PreemptionOutcome } from "../preemption/evaluator.js";
import type { Snapshot } from "../snapshot.js";
import { verdictReasons } from "../diagnosis.js";
import { FitErrorFormatter } from "../fitError.js";

export const NAME = "DefaultPreemption";

/** What the scheduler component provides for one cycle. */
export interface PreemptionContext {
  /** The preemptor's status.nominatedNodeName as a node row, -1 for none. */
  nominatedNode: number;
  randomInt(n: number): number;
  /** Delete the victims (gracefully) and clear lower-priority nominations on the node. */
  preempt(outcome: PreemptionOutcome, pod: CompiledPod): void;
}

export class DefaultPreemption implements PostFilterPlugin, PreemptionHost {
  readonly name = NAME;
  readonly args: DefaultPreemptionArgs;
  context: PreemptionContext | null = null;
  /** The last outcome (for tests and the events log). */
  lastOutcome: PreemptionOutcome | null = null;
  private profile: Profile | null = null;
  private readonly one = new Int32Array(1);
  private readonly verdict = new Int32Array(1);
  /** PreFilter plugins that did not Skip for the current pod; their Filters run. */
  private activePreFilter: PreFilterPlugin[] = [];
  private skippedFilters = new Set<string>();
  /** The filter that rejected the pod in the last fitsOnNode() that returned false (its verdict stays in `verdict`). */
  private lastRejectedBy: FilterPlugin | null = null;
  /** The evaluator's FitError text, memoized across cycles (fitError.ts). */
  private readonly messages = new FitErrorFormatter();

  constructor(
    args: Partial<DefaultPreemptionArgs> | undefined,
    private readonly handle: FrameworkHandle,
  ) {
    this.args = {
      minCandidateNodesPercentage: args?.minCandidateNodesPercentage ?? DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE,
      minCandidateNodesAbsolute: args?.minCandidateNodesAbsolute ?? DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE,
    };
  }

  get snapshot(): Snapshot {
    return this.handle.snapshot;
  }

  /** Give the plugin the profile whose filters it dry-runs. */
  attach(profile: Profile): void {
    this.profile = profile;
  }

  /**
   * Upstream's PostFilter: Evaluator.Preempt, and a status message "preemption: " +
   * the evaluator's message when no node is nominated (evaluator.ts).
   */
  postFilter(state: CycleState, pod: CompiledPod, diagnosis: FilterDiagnosis): PostFilterResult {
    const ctx = this.context;
    if (ctx === null || this.profile === null || state.recording) return { code: Code.Unschedulable, nominatedNode: -1 };
    const outcome = findPreemption(this, state, pod, diagnosis, this.args, this.messages);
    this.lastOutcome = outcome;
    if (outcome.node < 0) return { code: Code.Unschedulable, nominatedNode: -1, message: outcome.reason === "" ? "" : `preemption: ${outcome.reason}` };
    ctx.preempt(outcome, pod);
    return { code: Code.Success, nominatedNode: outcome.node };
  }

  // PreemptionHost ------------------------------------------------------------

  /**
   * Re-run PreFilter for this pod so the dry run knows which Filters apply and starts
   * from exact PreFilter state (PreFilter is a pure function of pod + snapshot).
   */
  beginDryRun(state: CycleState, pod: CompiledPod): boolean {
    this.activePreFilter = [];
    this.skippedFilters.clear();
    for (const p of this.profile!.preFilter) {
      const code = p.preFilter(state, pod);
      if (code === Code.Skip) this.skippedFilters.add(p.name);
      else if (code !== Code.Success) return false;
      else this.activePreFilter.push(p);
    }
    return true;
  }

  fitsOnNode(state: CycleState, pod: CompiledPod, node: number): boolean {
    this.one[0] = node;
    for (const f of this.profile!.filter) {
      if (this.skippedFilters.has(f.name)) continue;
      f.filter(state, pod, this.one, 1, this.verdict);
      if (this.verdict[0] !== 0) {
        this.lastRejectedBy = f;
        return false;
      }
    }
    return true;
  }

  lastFitReasons(state: CycleState, pod: CompiledPod, node: number): string[] {
    return this.lastRejectedBy === null ? [] : verdictReasons(this.lastRejectedBy, state, pod, node, this.verdict[0]);
  }

  removePodHook(state: CycleState, pod: CompiledPod, victim: number, node: number): void {
    for (const p of this.activePreFilter) p.removePod?.(state, pod, victim, node);
  }

  addPodHook(state: CycleState, pod: CompiledPod, victim: number, node: number): void {
    for (const p of this.activePreFilter) p.addPod?.(state, pod, victim, node);
  }

  nominatedNodeOf(): number {
    return this.context?.nominatedNode ?? -1;
  }

  randomInt(n: number): number {
    return this.context ? this.context.randomInt(n) : 0;
  }
}

export function createDefaultPreemption(args: unknown, handle: FrameworkHandle): DefaultPreemption {
  return new DefaultPreemption(args as Partial<DefaultPreemptionArgs> | undefined, handle);
}
