/**
 * What the sweep's parent and its worker processes say to each other: one task is one
 * run (`kubesim run` of the scenario with the point's --set list and a seed, into its
 * own folder); one answer says where it went or why it failed, sorted into the three
 * kinds the CLI exits with (bad input 2, a user's plugin 3, a kubesim bug 1).
 */
export interface RunTask {
  /** Run index r = point · seeds + seed index. */
  run: number;
  point: number;
  scenario: string;
  seed: number;
  /** The sweep's own --set list, then the point's params as path=value. */
  set: string[];
  out: string;
}

export type RunAnswer =
  | { run: number; ok: true; dir: string }
  | { run: number; ok: false; kind: "bad-input" | "internal"; message: string; stack: string }
  | { run: number; ok: false; kind: "plugin"; plugin: string; point: string; pod: string; detail: string; stack: string };
