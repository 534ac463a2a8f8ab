/** `kubesim validate <scenario>`: check a scenario (with --set overrides) without running it; its warnings go to stderr. */
import type { Argv, CommandModule } from "yargs";
import { loadScenarioFile } from "../scenario/load.js";
import { guarded, printWarnings } from "./errors.js";
import { flagValue, setList, withSetOption } from "./options.js";

export const validateCommand: CommandModule = {
  command: "validate <scenario>",
  describe: "check a scenario file and print what it resolves to",
  builder: (y: Argv) =>
    withSetOption(y.positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)", demandOption: true })),
  handler: (argv) =>
    guarded(() => {
      const file = flagValue(argv.scenario, "scenario", "the scenario file")!;
      const { spec, warnings } = loadScenarioFile(file, { set: setList(argv.set) });
      printWarnings(warnings);
      const replicas = spec.deployments.reduce((s, d) => s + d.replicas, 0);
      const zones = new Set(spec.nodes.map((n) => n.zone).filter((z) => z !== undefined));
      process.stdout.write(
        `${file}: ok: ${spec.name}, seed ${spec.seed}, ${nodeCount(spec)} nodes in ${zones.size} zone(s), ` +
          `${spec.deployments.length} Deployment(s) with ${replicas} replicas, ` +
          (spec.daemonSets.length > 0 ? `${spec.daemonSets.length} DaemonSet(s) on ${spec.daemonSets.reduce((n, d) => n + (spec.cloud ? d.nodes.filter((k) => !spec.nodes[k].provisionLater).length : d.nodes.length), 0)} node(s), ` : "") +
          (spec.jobs.length > 0 ? `${spec.jobs.length} Job(s), ` : "") +
          `${spec.pods.length} Pod(s), ` +
          `${spec.arrivals.length} arrival generator(s), ${spec.faults.length} fault(s)\n`,
      );
    }),
};

/** Node rows, or with instance groups (issue 12) the machines at the start and the most the groups may reach. */
function nodeCount(spec: { nodes: readonly { provisionLater?: boolean }[]; cloud?: { groups: readonly { initialSize: number; maxSize: number }[] } }): string {
  if (!spec.cloud) return String(spec.nodes.length);
  const start = spec.cloud.groups.reduce((n, g) => n + g.initialSize, 0);
  const max = spec.cloud.groups.reduce((n, g) => n + g.maxSize, 0);
  return start === max ? String(start) : `${start} (up to ${max})`;
}
