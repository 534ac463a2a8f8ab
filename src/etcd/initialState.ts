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
  const st = ctx.members;
  const terms = init.logTerms ?? init.logLengths?.map((len) => new Array<number>(len).fill(init.term));
  if (!terms || terms.length !== st.count) throw new Error("etcd: initialState needs one log (logLengths or logTerms) per member");
  const lengths = terms.map((t) => t.length);
  const sorted = lengths.filter((_, m) => st.learner[m] === 0).sort((a, b) => b - a);
  const committed = init.commit ?? sorted[st.quorum - 1];
  for (let m = 0; m < st.count; m++) {
    const log = st.logs[m];
    for (const t of terms[m]) {
      if (t > init.term) throw new Error(`etcd: initialState entry term ${t} above the cluster term ${init.term}`);
      log.append(t, 0);
    }
    st.term[m] = st.persistedTerm[m] = init.term;
    st.stableIndex[m] = lengths[m];
    st.commitIndex[m] = st.persistedCommit[m] = Math.min(committed, lengths[m]);
    st.appliedIndex[m] = st.commitIndex[m];
    if (init.leader !== undefined) {
      st.votedFor[m] = st.persistedVote[m] = init.leader;
      st.leader[m] = init.leader;
    }
  }
  if (ctx.safety && committed > 0) {
    const ref = init.leader ?? lengths.indexOf(Math.max(...lengths));
    ctx.safety.onCommit(ctx.sim.now, ref, 0, committed, st.logs[ref]);
  }
}
