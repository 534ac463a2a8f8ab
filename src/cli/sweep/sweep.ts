/**
 * `kubesim sweep`: a command with subcommands, one module each. `sweep <scenario>` is
 * the default (runs a sweep), `sweep merge <dirs..>` merges the shards of one.
 */
import type { Argv, CommandModule } from "yargs";
import { sweepMergeCommand } from "./sweepMerge.js";
import { sweepRunCommand } from "./sweepRun.js";

/** The subcommands of `kubesim sweep`; the default one (`$0 <scenario>`) last, after the named ones. */
const SWEEP_SUBCOMMANDS: CommandModule[] = [
  sweepMergeCommand,
  // --- lead: add `sweepJobCommand` here (import { sweepJobCommand } from "../sweepJob.js"), before the default command ---
  sweepRunCommand,
];

export const sweepCommand: CommandModule = {
  command: "sweep",
  describe: "run a scenario over a grid of parameters × seeds (kubesim sweep <scenario> --param ... --seeds N), or merge its shards",
  builder: (y: Argv) => {
    let cli = y;
    for (const c of SWEEP_SUBCOMMANDS) cli = cli.command(c);
    return cli;
  },
  handler: () => {},
};
