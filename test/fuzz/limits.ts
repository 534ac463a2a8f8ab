/**
 * What one fuzz case may cost. A case that needs more wall time is stopped and is a
 * failure (a hang); an accepted scenario is only played for a short, bounded stretch,
 * so the limits below are about the code under test, not about the scenario's size.
 * All are [kubesim choice] for this fuzzer, measured on the 2-core development machine:
 * the slowest seed case (ha-topologies, 200 nodes and a control plane) takes ~60 ms,
 * so the wall budget leaves a margin of ~15x for a loaded machine.
 */
import { US_PER_S } from "../../src/engine/simulation.js";

const MIB = 1024 * 1024;

export interface CaseLimits {
  /** Wall time for a whole case (parse to CSV text); the case is stopped when it runs out. */
  wallMs: number;
  /** Simulated time an accepted scenario is played for (its duration, capped). */
  simUs: number;
  /** Events an accepted scenario may process; the run stops there (not a failure). */
  maxEvents: number;
  /** Trials per election-timeout range of a raft-election experiment (capped like the duration). */
  experimentTrials: number;
  /** Heap and array buffers a case may still hold once it is over (measured after a GC). */
  retainedBytes: number;
  /** Growth of the process's peak resident set during one case. */
  peakRssGrowthBytes: number;
  /**
   * kubesim's own raisable limits, set tighter for the fuzz run (--set limits.<name>=N after
   * the case's own overrides): an input that sizes its setup beyond them must be refused
   * with one line, and whatever is accepted sets up within the wall budget. At the default
   * limits a scenario may take seconds to set up by design (docs/limits.md).
   */
  scenarioLimits: Record<string, number>;
}

export const DEFAULT_LIMITS: CaseLimits = {
  wallMs: 1000,
  simUs: 3 * US_PER_S,
  maxEvents: 3000,
  experimentTrials: 1,
  retainedBytes: 64 * MIB,
  peakRssGrowthBytes: 512 * MIB,
  scenarioLimits: { nodes: 5000, pods: 20000 },
};
