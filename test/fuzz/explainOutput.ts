/**
 * What an accepted `kubesim explain` must print (src/cli/explain.ts header): one JSON
 * object whose `selected` is the feasible node with the highest total, null only when no
 * node is feasible, and whose scores are each plugin's normalized score, an integer in
 * [0, 100] (kube-scheduler: framework.MinNodeScore..MaxNodeScore; a plugin scoring
 * outside it fails the cycle with "returns an invalid score", recalled from
 * pkg/scheduler/framework/runtime/framework.go RunScorePlugins).
 */

const MAX_NODE_SCORE = 100;

interface ExplainedNode {
  name: string;
  feasible: boolean;
  scores: Record<string, unknown>;
  total: number;
}

/** The first way the output breaks its contract, or null. */
export function explainOutputProblem(text: string): string | null {
  let out: { nodes?: ExplainedNode[]; selected?: string | null };
  try {
    out = JSON.parse(text) as typeof out;
  } catch {
    return "not JSON";
  }
  const nodes = out.nodes ?? [];
  for (const n of nodes) {
    for (const [plugin, s] of Object.entries(n.scores ?? {})) {
      if (typeof s !== "number" || !Number.isInteger(s) || s < 0 || s > MAX_NODE_SCORE) return `a score outside 0..${MAX_NODE_SCORE} (${plugin})`;
    }
  }
  const feasible = nodes.filter((n) => n.feasible);
  if (feasible.length === 0) return out.selected === null ? null : "a node selected with no feasible node";
  if (out.selected === null || out.selected === undefined) return "no node selected although some are feasible";
  const best = Math.max(...feasible.map((n) => n.total));
  const chosen = feasible.find((n) => n.name === out.selected);
  return chosen && chosen.total === best ? null : "the selected node is not a feasible node with the highest total";
}
