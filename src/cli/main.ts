#!/usr/bin/env node
/**
 * The kubesim command line. Each command is one module (src/cli/<command>.ts);
 * to add one, import it and add it to COMMANDS (one line).
 */
import yargs, { type CommandModule } from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT_BAD_INPUT } from "./errors.js";
import { explainCommand } from "./explain.js";
import { runCommand } from "./run.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";
import { kubesimVersion } from "./version.js";

const COMMANDS: CommandModule[] = [
  runCommand,
  validateCommand,
  schemaCommand,
  explainCommand,
];

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
      // Our handlers catch their own errors; this is yargs' parsing of flags.
      if (err) throw err;
      process.stderr.write(`kubesim: ${msg} (see kubesim --help)\n`);
      process.exit(EXIT_BAD_INPUT);
    });
  for (const c of COMMANDS) cli = cli.command(c);
  await cli.parseAsync();
}

await main(hideBin(process.argv));
