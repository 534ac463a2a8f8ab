/**
 * `kubesim sweep`: a command with subcommands, one module each. `sweep <scenario>` is
 * the default (runs a sweep), `sweep merge <dirs..>` merges the shards of one,
 * `sweep job <scenario>` prints the Kubernetes Indexed Job that runs its shards.
 */
import type { Argv, CommandModule } from "yargs";
import { sweepJobCommand } from "./sweepJob.js";
import { sweepMergeCommand } from "./sweepMerge.js";
import { sweepRunCommand } from "./sweepRun.js";

/** The subcommands of `kubesim sweep`; the default one (`$0 <scenario>`) last, after the named ones. */
const SWEEP_SUBCOMMANDS: CommandModule[] = [
  sweepMergeCommand,
  sweepJobCommand,
  sweepRunCommand,
];

export const sweepCommand: CommandModule = {
  command: "sweep",
  describe: "run a scenario over a grid of parameters × seeds (kubesim sweep <scenario> --param ... --seeds N), merge its shards, or print the Indexed Job that runs them",
  builder: (y: Argv) => {
    let cli = y;
    for (const c of SWEEP_SUBCOMMANDS) cli = cli.command(c);
    return cli;
  },
  handler: () => {},
};
