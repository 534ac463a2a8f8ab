/**
 * Fuzz cases: what one CLI invocation gets, as text, so a case can be saved, shown and
 * replayed exactly. Four kinds, each an fc.Arbitrary built from the corpus:
 *  - scenario: a shipped scenario (or fixture) mutated, then maybe its text damaged,
 *    plus `--set` overrides with paths taken from the document or made up (the
 *    campaigns' "scenario" family edits the file, their "set" family mostly overrides);
 *  - manifests: a manifest file (a fixture, or a generated `kubectl get -o yaml` list)
 *    mutated and loaded by a small host scenario through `workloads: [{manifests}]`;
 *  - explain: one of the explain inputs (cluster, bound pods, pod, configuration)
 *    mutated, the others as shipped;
 *  - plugins: a custom scheduler plugin (the shipped example, or one of the misbehaving
 *    ones in test/fuzz/plugins/) enabled with random args, in a scenario or in explain.
 */
import fc from "fast-check";
import { corpus, EXAMPLE_PLUGIN, type FileSeed } from "./corpus.js";
import { hostScenario, kubectlListArb } from "./kubectlLists.js";
import { applyMutation, describeMutation, getAt, inlineText, keyArb, mutationArb, nodePaths, valueArb, type Mutation, type PathSegment } from "./mutate.js";
import { normalizeLocus } from "./signature.js";
import { applyTextMutation, renderJson, renderYaml, textMutationArb, type TextMutation } from "./text.js";

export interface CaseFile {
  name: string;
  text: string;
}

export interface ScenarioCase {
  target: "scenario";
  /** The scenario's path as given on the command line. */
  file: string;
  text: string;
  /** --set overrides, in order. */
  set: string[];
  /** Files written to the case's folder (manifests); the scenario then reads them from there. */
  files: CaseFile[];
  /** Where the scenario's manifests are when `files` is empty. */
  baseDir?: string;
  /** What was done to the seed, for people. */
  about: string;
  /** Where the changes are, normalized (`nodePools[*].count`, from an edit or a --set): what a hang is filed under. */
  loci: string[];
}

export interface ExplainCase {
  target: "explain";
  /** Every input, written to the case's folder. */
  files: CaseFile[];
  cluster: string[];
  pod: string;
  config?: string;
  plugins: string[];
  about: string;
  loci: string[];
}

export type FuzzCase = ScenarioCase | ExplainCase;

/** A document mutated in turn by each mutation; what was done and where (normalized, without repeats). */
function mutated(doc: unknown, mutations: readonly Mutation[]): { doc: unknown; about: string[]; loci: string[] } {
  let d = doc;
  const about: string[] = [];
  const loci: string[] = [];
  for (const m of mutations) {
    const r = applyMutation(d, m);
    d = r.root;
    about.push(describeMutation(m, r.locus));
    const l = normalizeLocus(r.locus);
    if (!loci.includes(l)) loci.push(l);
  }
  return { doc: d, about, loci };
}

/** A change to the rendered text in one case out of six: most cases should get past the parser. */
const textChangeArb: fc.Arbitrary<TextMutation | null> = fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: textMutationArb });

// --set overrides -----------------------------------------------------------------

/** `value: null` sets a field to what it already holds (as JSON, which is YAML): an override that should change nothing. */
type SetPlan = { kind: "node"; at: number; extra: PathSegment | null; value: string | null } | { kind: "raw"; path: string; value: string };

/** Values as typed after `=`: YAML scalars and flows, broken YAML, huge text. */
const SET_VALUES = [
  "1e9", "-1", "0", "1e300", ".nan", ".inf", "-.inf", "2147483648", "[a, b]", "{a: 1}", "", "null", "~", "true", "Gi", ".Gi", "1E", "1e18", "'x'",
  '"unterminated', "[", "*alias", "&a 1", "!!binary aGk=", "a: b", "- x", "1h", "-1s", "x".repeat(10_000), "{a: [1, {b: 2}]}", "[]", "{}", "__proto__",
];

/** Paths a user might type, or mistype: prototype keys, huge and negative indices, bad syntax. */
const SET_PATHS = [
  "__proto__.polluted", "constructor.prototype.polluted", "nodePools[0].__proto__.polluted", '["__proto__"].polluted', "workloads[0].__proto__",
  "nodePools[99999999999999999999].count", "nodePools[-1].count", "a..b", ".a", "a.", "[0]", "=", "a b", "nodePools[0]count", '["unterminated',
];

const setValueArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SET_VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const setPlanArb: fc.Arbitrary<SetPlan> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("node" as const), at: fc.nat(), extra: fc.option(fc.oneof(keyArb, fc.constantFrom(0, 1, 7, 1e9)), { freq: 3, nil: null }), value: setValueArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("node" as const), at: fc.nat(), extra: fc.constant(null), value: fc.constant(null) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("raw" as const), path: fc.oneof(fc.constantFrom(...SET_PATHS), fc.string({ maxLength: 16 })), value: setValueArb }) },
);

/** A path in --set syntax: fields, [indices], ["quoted keys"]. */
export function formatSetPath(path: readonly PathSegment[]): string {
  let s = "";
  for (const seg of path) {
    if (typeof seg === "number") s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) s += s === "" ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

function setArg(doc: unknown, plan: SetPlan): string {
  if (plan.kind === "raw") return `${plan.path}=${plan.value}`;
  const paths = nodePaths(doc).filter((p) => p.length > 0);
  const base = paths.length > 0 ? paths[plan.at % paths.length] : [];
  const path = plan.extra === null ? base : [...base, plan.extra];
  const value = plan.value ?? inlineText(getAt(doc, path));
  return `${path.length === 0 ? "seed" : formatSetPath(path)}=${value}`;
}

// Scenario cases --------------------------------------------------------------------

export function scenarioCaseArb(opts: { minMutations: number; maxMutations: number; maxSets: number; minSets?: number }): fc.Arbitrary<ScenarioCase> {
  const seeds = corpus().scenarios;
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      mutations: fc.array(mutationArb, { minLength: opts.minMutations, maxLength: opts.maxMutations }),
      text: textChangeArb,
      sets: fc.array(setPlanArb, { minLength: opts.minSets ?? 0, maxLength: opts.maxSets }),
    })
    .map(({ seed, mutations, text, sets }) => {
      const s = seeds[seed];
      const m = mutated(s.doc, mutations);
      const set = sets.map((p) => setArg(m.doc, p));
      const rendered = text ? applyTextMutation(renderYaml(m.doc), text) : renderYaml(m.doc);
      const about = [...m.about, ...(text ? [`text ${text.op}`] : []), ...set.map((a) => `--set ${a.length > 60 ? `${a.slice(0, 60)}…` : a}`)];
      // An override changes the same field as an edit of the file: the same locus.
      const loci = [...m.loci, ...set.map((a) => a.split("=")[0].replace(/\[\d+\]/g, "[*]"))];
      return { target: "scenario" as const, file: s.file, text: rendered, set, files: [], baseDir: s.baseDir, about: `${s.file}: ${about.join("; ") || "as shipped"}`, loci };
    });
}

// Manifest cases --------------------------------------------------------------------

function renderFile(documents: unknown, json: boolean): string {
  if (json) return renderJson(Array.isArray(documents) ? documents[0] : documents);
  if (!Array.isArray(documents)) return renderYaml(documents);
  return documents.map((d) => renderYaml(d)).join("---\n");
}

function manifestCase(seed: FileSeed, mutations: readonly Mutation[], text: TextMutation | null, label: string): ScenarioCase {
  const m = mutated(seed.documents, mutations);
  const rendered = renderFile(m.doc, seed.json);
  const name = seed.json ? "manifests.json" : "manifests.yaml";
  return {
    target: "scenario",
    file: "fuzz-manifests.yaml",
    text: hostScenario(name),
    set: [],
    files: [{ name, text: text ? applyTextMutation(rendered, text) : rendered }],
    about: `${label}: ${[...m.about, ...(text ? [`text ${text.op}`] : [])].join("; ") || "as generated"}`,
    loci: m.loci,
  };
}

export function manifestCaseArb(opts: { maxMutations: number }): fc.Arbitrary<ScenarioCase> {
  const seeds = corpus().manifests;
  const plan = fc.record({ mutations: fc.array(mutationArb, { minLength: 1, maxLength: opts.maxMutations }), text: textChangeArb });
  return fc.oneof(
    fc.record({ seed: fc.nat({ max: seeds.length - 1 }), plan }).map(({ seed, plan: p }) => manifestCase(seeds[seed], p.mutations, p.text, `fixture ${seeds[seed].name}`)),
    fc.record({ list: kubectlListArb, json: fc.boolean(), plan }).map(({ list, json, plan: p }) => manifestCase({ name: "list", documents: [list], json }, p.mutations, p.text, `generated kubectl list (${json ? "JSON" : "YAML"})`)),
  );
}

// explain cases ---------------------------------------------------------------------

/** The explain inputs: the cluster (nodes, bound pods), the pod, and a configuration or none. */
const EXPLAIN_SETUPS = [
  { cluster: ["cluster.yaml", "pods.yaml"], pod: "pod.yaml", config: undefined, plugins: [] as string[] },
  { cluster: ["cluster.yaml", "pods.yaml"], pod: "pod.yaml", config: "mostallocated.yaml", plugins: [] as string[] },
  { cluster: ["cluster.yaml"], pod: "pod.yaml", config: "plugin-config.yaml", plugins: [EXAMPLE_PLUGIN] },
  { cluster: ["cluster.yaml", "bad-node.yaml"], pod: "pod.yaml", config: undefined, plugins: [] as string[] },
];

export function explainCaseArb(opts: { maxMutations: number }): fc.Arbitrary<ExplainCase> {
  const seeds = corpus().explain;
  return fc
    .record({
      setup: fc.nat({ max: EXPLAIN_SETUPS.length - 1 }),
      which: fc.nat(),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: opts.maxMutations }),
      text: textChangeArb,
    })
    .map(({ setup, which, mutations, text }) => {
      const s = EXPLAIN_SETUPS[setup];
      const names = [...s.cluster, s.pod, ...(s.config ? [s.config] : [])];
      const target = names[which % names.length];
      const m = mutated(seeds.get(target)!.documents, mutations);
      const files = names.map((n) => {
        if (n !== target) return { name: n, text: renderFile(seeds.get(n)!.documents, false) };
        const rendered = renderFile(m.doc, false);
        return { name: n, text: text ? applyTextMutation(rendered, text) : rendered };
      });
      return {
        target: "explain" as const,
        files,
        cluster: s.cluster,
        pod: s.pod,
        config: s.config,
        plugins: s.plugins,
        about: `explain ${target}: ${[...m.about, ...(text ? [`text ${text.op}`] : [])].join("; ")}`,
        loci: m.loci.map((l) => `${target} ${l}`),
      };
    });
}

// Custom plugin cases --------------------------------------------------------------

/** Plugins a user may load: the shipped example, and one bug of a user's plugin each. */
export const FUZZ_PLUGINS: readonly { file: string; name: string }[] = [
  { file: EXAMPLE_PLUGIN, name: "DominantResourceFit" },
  { file: "test/fuzz/plugins/throwsInFilter.mjs", name: "ThrowsInFilter" },
  { file: "test/fuzz/plugins/throwsInScore.mjs", name: "ThrowsInScore" },
  { file: "test/fuzz/plugins/badScores.mjs", name: "BadScores" },
  { file: "test/fuzz/plugins/badVerdicts.mjs", name: "BadVerdicts" },
  { file: "test/fuzz/plugins/strictArgs.mjs", name: "StrictArgs" },
];

const PLUGIN_SCENARIO = "scenarios/scheduler-compare-plugin.yaml";

/** A KubeSchedulerConfiguration enabling `name` with `args` (none when undefined). */
function pluginConfig(name: string, args: unknown): Record<string, unknown> {
  return {
    apiVersion: "kubescheduler.config.k8s.io/v1",
    kind: "KubeSchedulerConfiguration",
    profiles: [
      {
        schedulerName: "default-scheduler",
        plugins: { multiPoint: { enabled: [{ name, weight: 5 }] } },
        pluginConfig: args === undefined ? [] : [{ name, args }],
      },
    ],
  };
}

const argsArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.record({ maxUtilizationPercent: valueArb }) },
  { weight: 2, arbitrary: fc.record({ limit: valueArb }) },
  { weight: 1, arbitrary: valueArb },
);

export function pluginCaseArb(opts: { maxMutations: number }): fc.Arbitrary<FuzzCase> {
  const seed = corpus().scenarios.find((s) => s.file === PLUGIN_SCENARIO);
  if (!seed) throw new Error(`fuzz corpus: ${PLUGIN_SCENARIO} is missing`);
  return fc
    .record({ plugin: fc.nat({ max: FUZZ_PLUGINS.length - 1 }), args: argsArb, inExplain: fc.boolean(), mutations: fc.array(mutationArb, { maxLength: opts.maxMutations }) })
    .map(({ plugin, args, inExplain, mutations }): FuzzCase => {
      const p = FUZZ_PLUGINS[plugin];
      // The changes stay inside the scheduler configuration, so the plugin is what is tested.
      const m = mutated(pluginConfig(p.name, structuredClone(args)), mutations);
      const about = `plugin ${p.name} args ${JSON.stringify(args)?.slice(0, 60) ?? "none"}${m.about.length > 0 ? `; ${m.about.join("; ")}` : ""}`;
      const loci = [`plugin ${p.name}`, ...m.loci.map((l) => `scheduler.config ${l}`)];
      if (inExplain) {
        const explainSeeds = corpus().explain;
        return {
          target: "explain",
          files: [
            { name: "cluster.yaml", text: renderFile(explainSeeds.get("cluster.yaml")!.documents, false) },
            { name: "pod.yaml", text: renderFile(explainSeeds.get("pod.yaml")!.documents, false) },
            { name: "config.yaml", text: renderYaml(m.doc) },
          ],
          cluster: ["cluster.yaml"],
          pod: "pod.yaml",
          config: "config.yaml",
          plugins: [p.file],
          about: `explain with ${about}`,
          loci,
        };
      }
      const doc = { ...(seed.doc as Record<string, unknown>), scheduler: { customPlugins: [{ module: p.file }], config: m.doc } };
      return { target: "scenario", file: seed.file, text: renderYaml(doc), set: [], files: [], baseDir: seed.baseDir, about: `${seed.file} with ${about}`, loci };
    });
}
