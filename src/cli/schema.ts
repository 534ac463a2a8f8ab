/** `kubesim schema`: the scenario format as JSON Schema, generated from the zod schema. */
import type { CommandModule } from "yargs";
import { scenarioJsonSchema } from "../scenario/schema.js";
import { guarded } from "./errors.js";

export const schemaCommand: CommandModule = {
  command: "schema",
  describe: "print the scenario format as JSON Schema (for editors: yaml-language-server)",
  builder: (y) => y,
  handler: () =>
    guarded(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    }),
};
