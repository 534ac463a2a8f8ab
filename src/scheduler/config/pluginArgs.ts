/**
 * pluginConfig args of the in-tree plugins: validated, with v1 defaults filled in
 * (pkg/scheduler/apis/config/v1/defaults.go SetDefaults_*Args, validation in
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go). Args of other
 * plugins (custom ones) are passed through as written.
 */
import type { Reader } from "./reader.js";
import { NO_GOT } from "./reader.js";

export interface ResourceSpec {
  name: string;
  weight: number;
}
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}
export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: {
    type: "LeastAllocated" | "MostAllocated" | "RequestedToCapacityRatio";
    resources: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}
export interface BalancedAllocationArgs {
  resources: ResourceSpec[];
}
export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}
export interface PodTopologySpreadArgs {
  defaultingType: "System" | "List";
  defaultConstraints: Array<{ maxSkew: number; topologyKey: string; whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" }>;
}
export interface NodeAffinityArgs {
  /** v1.NodeAffinity as written (requiredDuringSchedulingIgnoredDuringExecution, preferred...). */
  addedAffinity?: Record<string, unknown>;
}
export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

/** Resource weights must lie in 1..100 (validation_pluginargs.go validateResources). */
const MIN_RESOURCE_WEIGHT = 1;
const MAX_RESOURCE_WEIGHT = 100;
/** RequestedToCapacityRatio shape bounds: utilization 0..100, score 0..MaxCustomPriorityScore (10). */
const MAX_UTILIZATION = 100;
const MAX_CUSTOM_PRIORITY_SCORE = 10;
/** InterPodAffinityArgs.hardPodAffinityWeight range 0..100 (validation). */
const MAX_HARD_POD_AFFINITY_WEIGHT = 100;
/** DefaultPreemptionArgs defaults (defaults.go SetDefaults_DefaultPreemptionArgs). */
export const DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE = 100;

const DEFAULT_RESOURCES = (): ResourceSpec[] => [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

export function defaultArgs(plugin: string): unknown {
  switch (plugin) {
    case "NodeResourcesFit":
      return { ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: { type: "LeastAllocated", resources: DEFAULT_RESOURCES() } };
    case "NodeResourcesBalancedAllocation":
      return { resources: DEFAULT_RESOURCES() };
    case "InterPodAffinity":
      return { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false };
    case "PodTopologySpread":
      return { defaultingType: "System", defaultConstraints: [] };
    case "NodeAffinity":
      return {};
    case "DefaultPreemption":
      return { minCandidateNodesPercentage: DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE, minCandidateNodesAbsolute: DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE };
    default:
      return undefined;
  }
}

/** Validate `args` (a Reader at pluginConfig[i].args) of `plugin`, returning defaulted args. */
export function parseArgs(plugin: string, args: Reader): unknown {
  const ARGS_META = ["apiVersion", "kind"];
  switch (plugin) {
    case "NodeResourcesFit":
      return parseFitArgs(args, ARGS_META);
    case "NodeResourcesBalancedAllocation": {
      if (!args.present) return defaultArgs(plugin);
      args.object([...ARGS_META, "resources"]);
      const r = args.at("resources");
      return { resources: r.present ? parseResources(r) : DEFAULT_RESOURCES() } satisfies BalancedAllocationArgs;
    }
    case "InterPodAffinity": {
      if (!args.present) return defaultArgs(plugin);
      args.object([...ARGS_META, "hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"]);
      const ipe = args.at("ignorePreferredTermsOfExistingPods");
      return {
        hardPodAffinityWeight: args.at("hardPodAffinityWeight").optionalInt(0, MAX_HARD_POD_AFFINITY_WEIGHT, 1),
        ignorePreferredTermsOfExistingPods: ipe.present ? ipe.boolean() : false,
      } satisfies InterPodAffinityArgs;
    }
    case "PodTopologySpread":
      return parseSpreadArgs(args, ARGS_META);
    case "NodeAffinity": {
      if (!args.present) return defaultArgs(plugin);
      args.object([...ARGS_META, "addedAffinity"]);
      const aa = args.at("addedAffinity");
      if (!aa.present) return {};
      aa.object(["requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"]);
      const req = aa.at("requiredDuringSchedulingIgnoredDuringExecution");
      if (req.present) {
        req.object(["nodeSelectorTerms"]);
        const terms = req.at("nodeSelectorTerms").list();
        if (terms.length === 0) req.at("nodeSelectorTerms").fail("expected at least one node selector term", NO_GOT);
        for (const t of terms) parseNodeSelectorTerm(t);
      }
      for (const p of aa.at("preferredDuringSchedulingIgnoredDuringExecution").optionalList()) {
        p.object(["weight", "preference"]);
        p.at("weight").int(1, 100);
        parseNodeSelectorTerm(p.at("preference"));
      }
      return { addedAffinity: aa.value as Record<string, unknown> } satisfies NodeAffinityArgs;
    }
    case "DefaultPreemption": {
      if (!args.present) return defaultArgs(plugin);
      args.object([...ARGS_META, "minCandidateNodesPercentage", "minCandidateNodesAbsolute"]);
      const pct = args.at("minCandidateNodesPercentage").optionalInt(0, 100, DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE);
      const abs = args.at("minCandidateNodesAbsolute").optionalInt(0, 2 ** 31 - 1, DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE, "a non-negative integer");
      if (pct === 0 && abs === 0) {
        args.at("minCandidateNodesAbsolute").fail("expected minCandidateNodesPercentage and minCandidateNodesAbsolute not both 0", NO_GOT);
      }
      return { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs } satisfies DefaultPreemptionArgs;
    }
    default:
      // Plugins without args in kubesim (or custom plugins): accepted as written.
      return args.value ?? undefined;
  }
}

function parseResources(r: Reader): ResourceSpec[] {
  const out: ResourceSpec[] = [];
  const seen = new Set<string>();
  for (const item of r.list()) {
    item.object(["name", "weight"]);
    const name = item.at("name").string();
    if (seen.has(name)) item.at("name").fail("expected each resource once", name);
    seen.add(name);
    out.push({ name, weight: item.at("weight").int(MIN_RESOURCE_WEIGHT, MAX_RESOURCE_WEIGHT) });
  }
  if (out.length === 0) r.fail("expected at least one resource", NO_GOT);
  return out;
}

function parseFitArgs(args: Reader, meta: string[]): NodeResourcesFitArgs {
  const out = defaultArgs("NodeResourcesFit") as NodeResourcesFitArgs;
  if (!args.present) return out;
  args.object([...meta, "ignoredResources", "ignoredResourceGroups", "scoringStrategy"]);
  out.ignoredResources = args.at("ignoredResources").optionalList().map((r) => r.string());
  out.ignoredResourceGroups = args.at("ignoredResourceGroups").optionalList().map((r) => {
    const g = r.string();
    if (g.includes("/")) r.fail("expected a resource group name without '/'");
    return g;
  });
  const ss = args.at("scoringStrategy");
  if (!ss.present) return out;
  ss.object(["type", "resources", "requestedToCapacityRatio"]);
  const type = ss.at("type").present ? ss.at("type").oneOf(["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"] as const) : "LeastAllocated";
  out.scoringStrategy = { type, resources: ss.at("resources").present ? parseResources(ss.at("resources")) : DEFAULT_RESOURCES() };
  const rtcr = ss.at("requestedToCapacityRatio");
  if (type === "RequestedToCapacityRatio") {
    if (!rtcr.present) rtcr.fail("required when type is RequestedToCapacityRatio (a shape of {utilization, score} points)", NO_GOT);
    rtcr.object(["shape"]);
    const shapeR = rtcr.at("shape");
    const points = shapeR.list();
    if (points.length === 0) shapeR.fail("expected at least one {utilization, score} point", NO_GOT);
    const shape: UtilizationShapePoint[] = [];
    for (const p of points) {
      p.object(["utilization", "score"]);
      const u = p.at("utilization").int(0, MAX_UTILIZATION);
      if (shape.length > 0 && u <= shape[shape.length - 1].utilization) {
        p.at("utilization").fail(`expected utilization values in increasing order (after ${shape[shape.length - 1].utilization})`, u);
      }
      shape.push({ utilization: u, score: p.at("score").int(0, MAX_CUSTOM_PRIORITY_SCORE) });
    }
    out.scoringStrategy.requestedToCapacityRatio = { shape };
  } else if (rtcr.present) {
    rtcr.fail(`expected no requestedToCapacityRatio with scoringStrategy.type ${type}`, NO_GOT);
  }
  return out;
}

function parseSpreadArgs(args: Reader, meta: string[]): PodTopologySpreadArgs {
  const out = defaultArgs("PodTopologySpread") as PodTopologySpreadArgs;
  if (!args.present) return out;
  args.object([...meta, "defaultingType", "defaultConstraints"]);
  const dt = args.at("defaultingType");
  // v1 defaulting: System when unset and no constraints are given, List otherwise.
  const constraintsR = args.at("defaultConstraints");
  const constraints = constraintsR.optionalList();
  out.defaultingType = dt.present ? dt.oneOf(["System", "List"] as const) : constraints.length > 0 ? "List" : "System";
  if (out.defaultingType === "System" && constraints.length > 0) {
    constraintsR.fail("expected no defaultConstraints when defaultingType is System", NO_GOT);
  }
  const seen = new Set<string>();
  for (const c of constraints) {
    c.object(["maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector"]);
    if (c.at("labelSelector").present) c.at("labelSelector").fail("expected no labelSelector: default constraints take the selector from the pod's owners", NO_GOT);
    const maxSkew = c.at("maxSkew").int(1, 2 ** 31 - 1, "a positive integer");
    const topologyKey = c.at("topologyKey").string();
    const whenUnsatisfiable = c.at("whenUnsatisfiable").oneOf(["DoNotSchedule", "ScheduleAnyway"] as const);
    const key = `${topologyKey}/${whenUnsatisfiable}`;
    if (seen.has(key)) c.fail(`expected one constraint per (topologyKey, whenUnsatisfiable), ${key} is repeated`, NO_GOT);
    seen.add(key);
    out.defaultConstraints.push({ maxSkew, topologyKey, whenUnsatisfiable });
  }
  return out;
}

const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] as const;

function parseNodeSelectorTerm(t: Reader): void {
  t.object(["matchExpressions", "matchFields"]);
  for (const field of ["matchExpressions", "matchFields"] as const) {
    for (const e of t.at(field).optionalList()) {
      e.object(["key", "operator", "values"]);
      e.at("key").string();
      const op = e.at("operator").oneOf(SELECTOR_OPERATORS);
      const values = e.at("values").optionalList().map((v) => v.string());
      if ((op === "In" || op === "NotIn") && values.length === 0) e.at("values").fail(`expected at least one value for operator ${op}`, NO_GOT);
      if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) e.at("values").fail(`expected no values for operator ${op}`, NO_GOT);
      if ((op === "Gt" || op === "Lt") && (values.length !== 1 || !/^-?\d+$/.test(values[0]))) e.at("values").fail(`expected one integer value for operator ${op}`, NO_GOT);
    }
  }
}
