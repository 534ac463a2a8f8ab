#!/usr/bin/env node
/**
 * The kubesim command line. Each command is one module (src/cli/<command>.ts);
 * to add one, import it and add it to COMMANDS (one line).
 */
import yargs, { type CommandModule } from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT_BAD_INPUT, reportError } from "./errors.js";
import { capacityCommand } from "./capacity.js";
import { explainCommand } from "./explain.js";
import { reportCommand } from "./report.js";
import { rerunCommand } from "./rerun.js";
import { runCommand } from "./run.js";
import { schemaCommand } from "./schema.js";
import { sweepCommand } from "./sweep/sweep.js";
import { validateCommand } from "./validate.js";
import { kubesimVersion } from "./version.js";

const COMMANDS: CommandModule[] = [
  runCommand,
  validateCommand,
  schemaCommand,
  explainCommand,
  capacityCommand,
  sweepCommand,
  rerunCommand,
  reportCommand,
];

/** yargs' parse errors in kubesim's words: the flag first, then what was expected. */
function usageLine(msg: string): string {
  const missing = /^Not enough arguments following: (.+)$/.exec(msg);
  if (missing) return `kubesim: --${missing[1]}: expected a value after the flag (see kubesim --help)`;
  const required = /^Missing required arguments?: (.+)$/.exec(msg);
  if (/^Not enough non-option arguments/.test(msg)) return "kubesim: expected a scenario file after the command (see kubesim --help)";
  if (required) return `kubesim: expected ${required[1].split(", ").map((f) => `--${f}`).join(" and ")} (see kubesim --help)`;
  return `kubesim: ${msg.split("\n")[0].replace(/^kubesim: /, "")}${msg.includes("--help") ? "" : " (see kubesim --help)"}`;
}

export async function main(args: string[]): Promise<void> {
  let cli = yargs(args)
    .scriptName("kubesim")
    .usage("$0 <command> [options]\n\nA deterministic discrete-event simulator of a Kubernetes cluster.")
    .version(kubesimVersion())
    .help()
    .alias("h", "help")
    .strict()
    .demandCommand(1, "kubesim: expected a command (run, validate, schema, ...); see kubesim --help")
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // Our handlers catch their own errors (guarded); what reaches here is yargs'
      // parsing of the command line: one line, exit 2, never its stack trace.
      if (err && err.name !== "YError") process.exit(reportError(err));
      process.stderr.write(`${usageLine(msg ?? err?.message ?? "bad command line")}\n`);
      process.exit(EXIT_BAD_INPUT);
    });
  for (const c of COMMANDS) cli = cli.command(c);
  await cli.parseAsync();
}

await main(hideBin(process.argv));
