/**
 * Scoring the feasible nodes and choosing one: prioritizeNodes and selectHost
 * (pkg/scheduler/schedule_one.go) over RunPreScorePlugins, RunScorePlugins (Score,
 * NormalizeScore, weights; pkg/scheduler/framework/runtime/framework.go).
 *
 *   PreScore (every plugin, before any Score) -> per score plugin: Score ->
 *   NormalizeScore -> check [MIN_NODE_SCORE, MAX_NODE_SCORE] -> x weight -> sum
 *   (TotalScore) -> selectHost: a uniform choice among the top TotalScore.
 *
 * A plugin that returns Error fails the cycle for this pod (upstream: FailedScheduling,
 * retried). A custom plugin that throws or scores out of range stops the run with a
 * PluginError from its wrapper (custom/guard.ts); an in-tree score out of range is a
 * kubesim bug and stops it as an internal error. Both range checks ride on loops that
 * run anyway (the weighted sum here, the copy in the wrapper).
 *
 * Node-local score plugins (ScorePlugin.nodeLocalScore, no NormalizeScore) have their
 * weighted sum memoized per (pod template, node version) (snapshotMemo.ts, exact) and
 * are added last, in the pass that finds the top score. A plugin that reports uniform
 * scores (CycleState.scoresUniform) is not added: a constant offset never changes the
 * choice. Record mode bypasses both shortcuts and records every plugin's scores.
 */
import type { CompiledPod } from "./compiled.js";
import type { CycleBuffers } from "./cycleBuffers.js";
import type { CycleDiagnosis } from "./diagnosis.js";
import { Code, type CycleState, MAX_NODE_SCORE, MIN_NODE_SCORE, type ScorePlugin, invalidScoreMessage } from "./framework.js";
import type { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";
import { NodeMemo } from "./snapshotMemo.js";

/** How selectHost breaks ties among nodes with the top TotalScore. */
export type TieBreak = "reservoir" | "first";

export class Prioritizer {
  /** The error of the last prioritize() that returned -1. */
  error = "";
  /** Per score plugin: 1 when its PreScore returned Skip for this pod. */
  private readonly skipped: Uint8Array;
  /** Score plugins (indices) that are node-local; their weighted sum is memoized. */
  private readonly localScores: Int32Array;
  private readonly isLocalScore: Uint8Array;
  private readonly memo: NodeMemo;

  constructor(
    private readonly profile: Profile,
    private readonly snapshot: Snapshot,
    private readonly state: CycleState,
    private readonly buf: CycleBuffers,
    private readonly diag: CycleDiagnosis,
    private readonly tieBreak: TieBreak,
    private readonly random: { int(n: number): number } | null,
    memoize: boolean,
  ) {
    this.skipped = new Uint8Array(profile.score.length);
    const ls: number[] = [];
    profile.score.forEach((p, i) => {
      if (p.nodeLocalScore === true && p.normalizeScore === undefined && memoize) ls.push(i);
    });
    this.localScores = Int32Array.from(ls);
    this.isLocalScore = new Uint8Array(profile.score.length);
    for (const i of ls) this.isLocalScore[i] = 1;
    this.memo = new NodeMemo(snapshot);
  }

  /**
   * PreScore, Score, NormalizeScore, weights, selectHost over buf.feasible[0..count).
   * Returns the chosen node, or -1 on error (this.error says why).
   */
  prioritize(pod: CompiledPod, count: number): number {
    const prof = this.profile;
    const state = this.state;
    const feasible = this.buf.feasible;
    const total = this.buf.total;
    const buf = this.buf.scoreBuf;
    const rec = this.diag.record;
    this.skipped.fill(0);
    // The first plugin added assigns instead of adding (saves clearing `total`).
    let first = true;
    // PreScore for every plugin first, as upstream's RunPreScorePlugins.
    for (let i = 0; i < prof.preScore.length; i++) {
      const p = prof.preScore[i];
      const code = p.preScore(state, pod, feasible, count);
      if (code === Code.Skip) {
        const si = prof.score.indexOf(p as unknown as ScorePlugin);
        if (si >= 0) this.skipped[si] = 1;
      } else if (code !== Code.Success) {
        return this.fail(`running PreScore plugin "${p.name}": status ${code}`);
      }
    }
    // Node-local plugins come last, from the memo, in one pass that also finds the top score.
    const useMemo = this.localScores.length > 0 && rec === null;
    for (let s = 0; s < prof.score.length; s++) {
      if (this.skipped[s] === 1) {
        if (rec !== null) rec.skippedScore[s] = 1;
        continue;
      }
      if (useMemo && this.isLocalScore[s] === 1) continue;
      const p = prof.score[s];
      state.scoresUniform = false;
      if (p.score(state, pod, feasible, count, buf) !== Code.Success) return this.fail(`running Score plugin "${p.name}"`);
      if (p.normalizeScore !== undefined && p.normalizeScore(state, pod, feasible, count, buf) !== Code.Success) {
        return this.fail(`running NormalizeScore plugin "${p.name}"`);
      }
      if (state.scoresUniform && rec === null) continue;
      const w = prof.scoreWeights[s];
      let bad = NaN;
      if (first) {
        for (let k = 0; k < count; k++) {
          const v = buf[k];
          if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) bad = v;
          total[k] = v * w;
        }
        first = false;
      } else {
        for (let k = 0; k < count; k++) {
          const v = buf[k];
          if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) bad = v;
          total[k] += v * w;
        }
      }
      if (!Number.isNaN(bad)) throw invalidScore(p.name, bad);
      if (rec !== null) for (let k = 0; k < count; k++) rec.scores[s][feasible[k]] = buf[k];
    }
    if (useMemo) return this.scoreLocalMemoizedAndSelect(pod, count, first);
    if (first) total.fill(0, 0, count); // nothing scored (all skipped or uniform): every node ties
    if (rec !== null) for (let k = 0; k < count; k++) rec.total[feasible[k]] = total[k];
    return this.selectHost(count);
  }

  /**
   * Node-local score plugins: their weighted sum per node is memoized per (template,
   * node version) and added to total[0..count) (assigned when `first`), in the same
   * pass that finds the top TotalScore; then selectHost's choice among the ties.
   * Returns the chosen node, or -1 on error.
   */
  private scoreLocalMemoizedAndSelect(pod: CompiledPod, count: number, first: boolean): number {
    const md = this.memo.for(pod).data;
    const version = this.snapshot.nodeVersion;
    const feasible = this.buf.feasible;
    const total = this.buf.total;
    const miss = this.buf.miss;
    const missAt = this.buf.missPos;
    let m = 0;
    let bestScore = -1;
    let bestAt = -1;
    let ties = 0;
    for (let k = 0; k < count; k++) {
      const n = feasible[k];
      if (md[n << 1] === version[n]) {
        const v = md[(n << 1) | 1];
        const t = first ? v : total[k] + v;
        total[k] = t;
        if (t > bestScore) {
          bestScore = t;
          bestAt = k;
          ties = 1;
        } else if (t === bestScore) {
          ties++;
        }
      } else {
        miss[m] = n;
        missAt[m++] = k;
      }
    }
    if (m > 0) {
      const acc = this.buf.missAcc;
      acc.fill(0, 0, m);
      const buf = this.buf.scoreBuf;
      const prof = this.profile;
      for (let i = 0; i < this.localScores.length; i++) {
        const s = this.localScores[i];
        if (this.skipped[s] === 1) continue;
        const p = prof.score[s];
        if (p.score(this.state, pod, miss, m, buf) !== Code.Success) return this.fail(`running Score plugin "${p.name}"`);
        const w = prof.scoreWeights[s];
        for (let k = 0; k < m; k++) {
          const v = buf[k];
          if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) throw invalidScore(p.name, v);
          acc[k] += v * w;
        }
      }
      for (let i = 0; i < m; i++) {
        const n = miss[i];
        const k = missAt[i];
        md[(n << 1) | 1] = acc[i];
        md[n << 1] = version[n];
        const t = first ? acc[i] : total[k] + acc[i];
        total[k] = t;
        if (t > bestScore) {
          bestScore = t;
          bestAt = k;
          ties = 1;
        } else if (t === bestScore) {
          ties++;
          if (k < bestAt) bestAt = k;
        }
      }
    }
    return this.pickAmongTies(count, bestScore, bestAt, ties);
  }

  /** The tie-break of selectHost over total[0..count), given the top score, its first position and the tie count. */
  private pickAmongTies(count: number, bestScore: number, bestAt: number, ties: number): number {
    const feasible = this.buf.feasible;
    if (ties > 1 && this.tieBreak === "reservoir" && this.diag.record === null) {
      const total = this.buf.total;
      let pick = this.random!.int(ties);
      for (let k = bestAt; k < count; k++) {
        if (total[k] === bestScore && pick-- === 0) return feasible[k];
      }
    }
    return feasible[bestAt];
  }

  /**
   * selectHost: the node with the highest TotalScore. Upstream breaks ties by
   * reservoir sampling (the k-th tied node replaces the pick with probability 1/k),
   * i.e. a uniform choice among the tied nodes; here the ties are counted first and
   * one draw picks among them, the same distribution with one random number per cycle.
   * With tieBreak "first", and in record mode, the first tied node in search order wins.
   */
  private selectHost(count: number): number {
    const total = this.buf.total;
    let best = 0;
    let bestScore = total[0];
    let ties = 1;
    for (let k = 1; k < count; k++) {
      const s = total[k];
      if (s > bestScore) {
        bestScore = s;
        best = k;
        ties = 1;
      } else if (s === bestScore) {
        ties++;
      }
    }
    return this.pickAmongTies(count, bestScore, best, ties);
  }

  private fail(message: string): number {
    this.error = message;
    return -1;
  }
}

/**
 * An in-tree plugin's score outside [MIN_NODE_SCORE, MAX_NODE_SCORE]: a kubesim bug
 * (custom plugins are checked by their wrapper, custom/guard.ts, before this point),
 * so the run stops as an internal error rather than leaving the pod Pending.
 */
function invalidScore(plugin: string, score: number): Error {
  return new Error(`${invalidScoreMessage(plugin, score)} (an in-tree plugin: a kubesim bug)`);
}
