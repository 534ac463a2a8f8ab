/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) -> profiles.
 *
 * Semantics follow kube-scheduler:
 * - each profile's plugins are merged with the default profile per extension point
 *   (v1 defaults mergePlugins): disabled names (or '*') drop default plugins, a
 *   custom entry with a default plugin's name replaces it in place, other custom
 *   entries are appended;
 * - multiPoint is then expanded to every extension point the plugin implements
 *   (framework expandMultiPointPlugins): a plugin disabled at a point is skipped
 *   there, '*' at a point skips the expansion for that point, a plugin also enabled
 *   explicitly at the point keeps the explicit entry (and goes first);
 * - the Score weight comes from score.enabled first, then multiPoint; 0/unset = 1;
 * - profile percentageOfNodesToScore overrides the global one.
 * Validation names the file and field of the first problem.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { PluginSpec, ProfileSpec } from "../framework.js";
import { SchedulerConfigError } from "./configError.js";
import {
  API_VERSION,
  DEFAULT_CLIENT_BURST,
  DEFAULT_CLIENT_QPS,
  DEFAULT_MULTIPOINT,
  DEFAULT_PARALLELISM,
  DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE,
  DEFAULT_POD_INITIAL_BACKOFF_SECONDS,
  DEFAULT_POD_MAX_BACKOFF_SECONDS,
  EXTENSION_POINTS,
  type ExtensionPoint,
  IN_TREE_POINTS,
  KIND,
} from "./defaults.js";
import { DEFAULT_SCHEDULER_NAME } from "../../model/wellKnown.js";
import { defaultArgs, parseArgs } from "./pluginArgs.js";
import { NO_GOT, Reader } from "./reader.js";

/** Which plugins exist and which extension points each implements. */
export interface PluginCatalog {
  points(name: string): readonly ExtensionPoint[] | undefined;
}

/** Own keys only: a plugin named "__proto__" or "constructor" is simply not registered. */
const inTreePoints = (n: string) => (Object.hasOwn(IN_TREE_POINTS, n) ? IN_TREE_POINTS[n] : undefined);

export const IN_TREE_CATALOG: PluginCatalog = { points: inTreePoints };

/** A catalog of the in-tree plugins plus custom ones (name -> implemented points). */
export function catalogWith(custom: ReadonlyMap<string, readonly ExtensionPoint[]>): PluginCatalog {
  return { points: (n) => custom.get(n) ?? inTreePoints(n) };
}

/** A resolved profile: A's ProfileSpec plus the exact per-extension-point lists. */
export interface ResolvedProfile extends ProfileSpec {
  /** Enabled plugins per extension point, in execution order. */
  points: Record<ExtensionPoint, string[]>;
  /** Score weight per score plugin. */
  weights: Record<string, number>;
  /** Args per plugin (v1 defaults filled in). */
  args: Record<string, unknown>;
  /** Index of each plugin's entry in pluginConfig (for error paths). */
  argsIndex: Record<string, number>;
}

export interface SchedulerConfiguration {
  /** Where it came from ("(defaults)" without a file). */
  source: string;
  profiles: ResolvedProfile[];
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  parallelism: number;
  clientQPS: number;
  clientBurst: number;
}

/** Largest Score weight kubesim accepts (keeps weight * 100 * #plugins far inside int32). */
export const MAX_PLUGIN_WEIGHT = 100;

const TOP_FIELDS = [
  "apiVersion",
  "kind",
  "parallelism",
  "leaderElection",
  "clientConnection",
  "healthzBindAddress",
  "metricsBindAddress",
  "enableProfiling",
  "enableContentionProfiling",
  "percentageOfNodesToScore",
  "podInitialBackoffSeconds",
  "podMaxBackoffSeconds",
  "profiles",
  "extenders",
  "delayCacheUntilActive",
];
const PROFILE_FIELDS = ["schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"];
const PLUGIN_SET_POINTS = ["multiPoint", ...EXTENSION_POINTS];

/** The configuration kube-scheduler runs without --config. */
export function defaultSchedulerConfiguration(catalog: PluginCatalog = IN_TREE_CATALOG): SchedulerConfiguration {
  return parseSchedulerConfigValue({ apiVersion: API_VERSION, kind: KIND }, "(defaults)", catalog);
}

export function loadSchedulerConfig(file: string, catalog: PluginCatalog = IN_TREE_CATALOG): SchedulerConfiguration {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SchedulerConfigError(file, "", `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseSchedulerConfig(text, file, catalog);
}

export function parseSchedulerConfig(text: string, file: string, catalog: PluginCatalog = IN_TREE_CATALOG): SchedulerConfiguration {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new SchedulerConfigError(file, "", `not valid YAML or JSON (${(e as Error).message.split("\n")[0]})`);
  }
  return parseSchedulerConfigValue(value, file, catalog);
}

export function parseSchedulerConfigValue(value: unknown, file: string, catalog: PluginCatalog = IN_TREE_CATALOG): SchedulerConfiguration {
  const root = new Reader(file, value).object(TOP_FIELDS);
  if (root.at("apiVersion").value !== API_VERSION) root.at("apiVersion").fail(`expected ${API_VERSION}`);
  if (root.at("kind").value !== KIND) root.at("kind").fail(`expected ${KIND}`);
  if (root.at("extenders").present && root.at("extenders").list().length > 0) {
    root.at("extenders").fail("expected no extenders: kubesim does not model scheduler extenders", NO_GOT);
  }
  const percentage = root.at("percentageOfNodesToScore").optionalInt(0, 100, DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE);
  const initial = root.at("podInitialBackoffSeconds").optionalInt(1, 2 ** 31 - 1, DEFAULT_POD_INITIAL_BACKOFF_SECONDS, "a positive integer");
  const maxR = root.at("podMaxBackoffSeconds");
  const max = maxR.optionalInt(1, 2 ** 31 - 1, DEFAULT_POD_MAX_BACKOFF_SECONDS, "a positive integer");
  if (max < initial) maxR.fail(`expected a value >= podInitialBackoffSeconds (${initial})`, max);
  const parallelism = root.at("parallelism").optionalInt(1, 2 ** 31 - 1, DEFAULT_PARALLELISM, "a positive integer");
  let qps = DEFAULT_CLIENT_QPS;
  let burst = DEFAULT_CLIENT_BURST;
  const cc = root.at("clientConnection");
  if (cc.present) {
    cc.object(["kubeconfig", "acceptContentTypes", "contentType", "qps", "burst"]);
    if (cc.at("qps").present) qps = cc.at("qps").number(Number.MIN_VALUE, 1e9, "a positive number");
    burst = cc.at("burst").optionalInt(1, 2 ** 31 - 1, DEFAULT_CLIENT_BURST, "a positive integer");
  }

  const profilesR = root.at("profiles");
  const profileReaders = profilesR.present ? profilesR.list() : [];
  const profiles: ResolvedProfile[] = [];
  if (profileReaders.length === 0) {
    profiles.push(resolveProfile(new Reader(file, { schedulerName: DEFAULT_SCHEDULER_NAME }, "profiles[0]"), catalog));
  }
  const names = new Set<string>();
  for (const pr of profileReaders) {
    const p = resolveProfile(pr, catalog);
    if (names.has(p.schedulerName)) pr.at("schedulerName").fail("expected a schedulerName not used by another profile", p.schedulerName);
    names.add(p.schedulerName);
    profiles.push(p);
  }
  // All profiles must share one queue (validation: same queueSort plugin and args).
  for (let i = 1; i < profiles.length; i++) {
    const a = profiles[0].points.queueSort.join(",");
    const b = profiles[i].points.queueSort.join(",");
    if (a !== b) profileReaders[i].at("plugins").at("queueSort").fail(`expected the same queueSort plugin as profiles[0] (${a}), all profiles share one queue`, b);
  }
  return {
    source: file,
    profiles,
    percentageOfNodesToScore: percentage,
    podInitialBackoffSeconds: initial,
    podMaxBackoffSeconds: max,
    parallelism,
    clientQPS: qps,
    clientBurst: burst,
  };
}

interface PluginEntry {
  name: string;
  weight?: number;
}
interface PluginSet {
  enabled: PluginEntry[];
  disabled: string[];
  reader: Reader;
}

function readPluginSet(r: Reader, catalog: PluginCatalog, point: string): PluginSet {
  const set: PluginSet = { enabled: [], disabled: [], reader: r };
  if (!r.present) return set;
  r.object(["enabled", "disabled"]);
  const seen = new Set<string>();
  r.at("enabled")
    .optionalList()
    .forEach((e) => {
      e.object(["name", "weight"]);
      const name = e.at("name").string();
      if (name === "*") e.at("name").fail("expected a plugin name ('*' is only valid in disabled)", NO_GOT);
      const pts = catalog.points(name) ?? e.at("name").fail("expected a registered plugin (in-tree or loaded with --plugin / scheduler.customPlugins)", name);
      if (point !== "multiPoint" && !pts.includes(point as ExtensionPoint)) {
        e.at("name").fail(`expected a plugin that implements ${point} (${name} implements ${pts.join(", ")})`, NO_GOT);
      }
      if (seen.has(name)) e.at("name").fail(`expected each plugin once per extension point, ${name} is repeated`, NO_GOT);
      seen.add(name);
      const w = e.at("weight");
      let weight: number | undefined;
      if (w.present) {
        if (point !== "multiPoint" && point !== "score") w.fail("expected no weight outside score and multiPoint", NO_GOT);
        weight = w.int(1, MAX_PLUGIN_WEIGHT);
      }
      set.enabled.push({ name, weight });
    });
  r.at("disabled")
    .optionalList()
    .forEach((d) => {
      d.object(["name", "weight"]);
      const name = d.at("name").string();
      if (name !== "*" && catalog.points(name) === undefined) d.at("name").fail("expected a registered plugin or '*'", name);
      set.disabled.push(name);
    });
  return set;
}

/** v1 defaults mergePluginSet: defaults minus disabled, custom replacing in place, the rest appended. */
function mergeWithDefaults(defaults: readonly PluginEntry[], custom: PluginSet): { enabled: PluginEntry[]; disabled: Set<string> } {
  const disabled = new Set(custom.disabled);
  const customByName = new Map(custom.enabled.map((p, i) => [p.name, i] as const));
  const replaced = new Set<number>();
  const enabled: PluginEntry[] = [];
  if (!disabled.has("*")) {
    for (const d of defaults) {
      if (disabled.has(d.name)) continue;
      const i = customByName.get(d.name);
      if (i !== undefined) {
        enabled.push(custom.enabled[i]);
        replaced.add(i);
      } else enabled.push(d);
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

function resolveProfile(pr: Reader, catalog: PluginCatalog): ResolvedProfile {
  pr.object(PROFILE_FIELDS);
  const schedulerName = pr.at("schedulerName").present ? pr.at("schedulerName").string() : DEFAULT_SCHEDULER_NAME;
  const pctR = pr.at("percentageOfNodesToScore");
  const percentage = pctR.present ? pctR.int(0, 100) : undefined;

  const pluginsR = pr.at("plugins");
  if (pluginsR.present) pluginsR.object(PLUGIN_SET_POINTS);
  const sets = new Map<string, PluginSet>();
  for (const point of PLUGIN_SET_POINTS) sets.set(point, readPluginSet(pluginsR.at(point), catalog, point));

  // Merge with the defaults: only multiPoint has default entries in v1.
  const multi = mergeWithDefaults(DEFAULT_MULTIPOINT, sets.get("multiPoint")!);
  const points = {} as Record<ExtensionPoint, string[]>;
  for (const point of EXTENSION_POINTS) {
    const explicit = mergeWithDefaults([], sets.get(point)!);
    const explicitNames = explicit.enabled.map((p) => p.name);
    if (explicit.disabled.has("*")) {
      points[point] = explicitNames;
      continue;
    }
    const override: string[] = [];
    const fromMulti: string[] = [];
    for (const p of multi.enabled) {
      if (!catalog.points(p.name)!.includes(point)) continue;
      if (explicit.disabled.has(p.name)) continue;
      if (explicitNames.includes(p.name)) override.push(p.name);
      else fromMulti.push(p.name);
    }
    const ordered = [...override, ...fromMulti];
    for (const n of explicitNames) if (!ordered.includes(n)) ordered.push(n);
    points[point] = ordered;
  }
  if (points.queueSort.length !== 1) {
    pluginsR.at("queueSort").fail(`expected exactly one queueSort plugin, got ${points.queueSort.length}`, NO_GOT);
  }
  if (points.bind.length === 0) pluginsR.at("bind").fail("expected at least one bind plugin (DefaultBinder)", NO_GOT);

  // Weights: score.enabled first, then multiPoint; unset = 1 (framework getScoreWeights).
  const weights: Record<string, number> = {};
  for (const p of [...sets.get("score")!.enabled, ...multi.enabled]) {
    if (!points.score.includes(p.name) || p.name in weights) continue;
    weights[p.name] = p.weight ?? 1;
  }
  for (const n of points.score) if (!(n in weights)) weights[n] = 1;

  // pluginConfig: one entry per plugin; args validated and defaulted.
  const args: Record<string, unknown> = {};
  const configured = new Set<string>();
  const argsIndex: Record<string, number> = {};
  for (const [ci, c] of pr.at("pluginConfig").optionalList().entries()) {
    c.object(["name", "args"]);
    const name = c.at("name").string();
    if (catalog.points(name) === undefined) c.at("name").fail("expected a registered plugin", name);
    if (configured.has(name)) c.at("name").fail(`expected one pluginConfig entry per plugin, ${name} is repeated`, NO_GOT);
    configured.add(name);
    argsIndex[name] = ci;
    args[name] = parseArgs(name, c.at("args"));
  }
  const enabledAnywhere = new Set<string>();
  for (const point of EXTENSION_POINTS) for (const n of points[point]) enabledAnywhere.add(n);
  for (const n of enabledAnywhere) if (!(n in args)) args[n] = defaultArgs(n);

  // A's ProfileSpec view: one ordered list (multiPoint order, then plugins enabled
  // only at specific points) plus the points where a listed plugin is not enabled.
  const order: string[] = [];
  for (const p of multi.enabled) if (enabledAnywhere.has(p.name)) order.push(p.name);
  for (const point of EXTENSION_POINTS) for (const n of points[point]) if (!order.includes(n)) order.push(n);
  const plugins: PluginSpec[] = order.map((name) => ({ name, weight: weights[name], args: args[name] }));
  const disabledPoints: Record<string, string[]> = {};
  for (const name of order) {
    const missing = catalog.points(name)!.filter((pt) => !points[pt].includes(name));
    if (missing.length > 0) disabledPoints[name] = missing;
  }
  return { schedulerName, plugins, disabledPoints, percentageOfNodesToScore: percentage, points, weights, args, argsIndex };
}

/** The profile for a pod's spec.schedulerName, or undefined (the pod is not ours). */
export function profileFor(config: SchedulerConfiguration, schedulerName: string | undefined): ResolvedProfile | undefined {
  const name = schedulerName && schedulerName !== "" ? schedulerName : DEFAULT_SCHEDULER_NAME;
  return config.profiles.find((p) => p.schedulerName === name);
}
