/**
 * A start state other than the empty cluster, for experiments and tests: the Raft paper's
 * election experiment starts from a leader that has just been elected, and Figure 8 from
 * logs of chosen terms. The state is written as if it had been persisted (durable term,
 * vote, log and commit index), before any member boots.
 */
import type { EtcdContext } from "./context.js";

/**
 * Every member at `term`, member i holding `logLengths[i]` entries of that term (durable),
 * and `leader` (if given) already leader of that term; followers know it and have just
 * heard from it. `logTerms` replaces `logLengths` with explicit entry terms per member
 * (e.g. the Raft paper's Figure 8); `commit` overrides the commit index (default: the
 * longest prefix a quorum holds).
 */
export interface EtcdInitialState {
  term: number;
  logLengths?: number[];
  logTerms?: number[][];
  commit?: number;
  leader?: number;
}

export function applyInitialState(ctx: EtcdContext, init: EtcdInitialState): void {
  const members = ctx.members;
  const terms = init.logTerms ?? init.logLengths?.map((len) => new Array<number>(len).fill(init.term));
  if (!terms || terms.length !== members.count) throw new Error("etcd: initialState needs one log (logLengths or logTerms) per member");
  const lengths = terms.map((t) => t.length);
  const sorted = lengths.filter((_, m) => members.learner[m] === 0).sort((a, b) => b - a);
  const committed = init.commit ?? sorted[members.quorum - 1];
  for (let m = 0; m < members.count; m++) {
    const log = members.logs[m];
    for (const t of terms[m]) {
      if (t > init.term) throw new Error(`etcd: initialState entry term ${t} above the cluster term ${init.term}`);
      log.append(t, 0);
    }
    members.term[m] = members.persistedTerm[m] = init.term;
    members.stableIndex[m] = lengths[m];
    members.commitIndex[m] = members.persistedCommit[m] = Math.min(committed, lengths[m]);
    members.appliedIndex[m] = members.commitIndex[m];
    if (init.leader !== undefined) {
      members.votedFor[m] = members.persistedVote[m] = init.leader;
      members.leader[m] = init.leader;
    }
  }
  if (ctx.safety && committed > 0) {
    const ref = init.leader ?? lengths.indexOf(Math.max(...lengths));
    ctx.safety.onCommit(ctx.sim.now, ref, 0, committed, members.logs[ref]);
  }
}
