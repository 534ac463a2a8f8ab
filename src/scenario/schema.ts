/**
 * The scenario format: one zod schema composed from the sections in ./sections/.
 * To add a section, write sections/<name>.ts exporting `{ <field>: schema }` and add
 * it to SECTIONS below (a later entry would replace an earlier one with the same field).
 */
import { z } from "zod";
import { controlPlaneSection } from "./sections/controlPlane.js";
import { controllerManagerSection } from "./sections/controllerManager.js";
import { kubeletSection } from "./sections/kubelet.js";
import { containerRuntimeSection } from "./sections/containerRuntime.js";
import { faultsSection } from "./sections/faults.js";
import { actionsSection } from "./sections/actions.js";
import { limitsSection } from "./sections/limits.js";
import { nodePoolsSection } from "./sections/nodePools.js";
import { clusterSection } from "./sections/cluster.js";
import { schedulerSection } from "./sections/scheduler.js";
import { runSection } from "./sections/run.js";
import { workloadsSection } from "./sections/workloads.js";
import { kubeProxySection, requestLoadSection } from "./sections/services.js";
import { cloudSection } from "./sections/cloud.js";

const SECTIONS = {
  ...runSection,
  ...nodePoolsSection,
  ...clusterSection,
  ...workloadsSection,
  ...faultsSection,
  ...actionsSection,
  ...controlPlaneSection,
  ...controllerManagerSection,
  ...kubeletSection,
  ...containerRuntimeSection,
  ...schedulerSection,
  ...limitsSection,
  ...kubeProxySection,
  ...requestLoadSection,
  ...cloudSection,
  // Components add their sections here.
};

export const scenarioSchema = z.strictObject({
  /** The JSON Schema reference editors use; ignored by kubesim. */
  $schema: z.string().optional(),
  ...SECTIONS,
});

/** A scenario as written (before defaults). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with defaults applied; durations still as written. */
export type Scenario = z.output<typeof scenarioSchema>;

/** The scenario format as JSON Schema (what `kubesim schema` prints). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  // A cluster section brings its own node pools (clusterExport.ts adds them before validation).
  if (Array.isArray(schema.required)) {
    schema.required = schema.required.filter((k) => k !== "nodePools");
    schema.anyOf = [{ required: ["nodePools"] }, { required: ["cluster"] }];
  }
  return { ...schema, title: "kubesim scenario", description: "A kubesim scenario file (see README.md)." };
}
