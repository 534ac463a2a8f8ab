/**
 * A custom plugin that breaks its contract stops the run with one line naming the
 * plugin, the extension point, the pod and the plugin's own message (PluginError,
 * exit status 3), in a run and in `kubesim explain`:
 *
 * - an exception at any extension point (upstream would crash kube-scheduler);
 * - a final score outside [0, 100] (after NormalizeScore when the plugin has one), with
 *   upstream's message from runtime/framework.go RunScorePlugins, verbatim:
 *   `plugin "X" returns an invalid score 150, it should in the range of [0, 100] after normalizing`;
 * - a score that is not an integer, NaN or never written (impossible upstream, where
 *   scores are int64; an Int32Array would have truncated them silently);
 * - a return value that is not a status code (a forgotten `return`).
 *
 * A plugin that returns the Error status keeps upstream's meaning: the pod fails this
 * cycle and is retried. Raw scores before NormalizeScore are not checked (upstream's
 * are any int64). On main, the exception ended the run as "kubesim: internal error:
 * boom in score" (exit 1) and an out-of-range score left every pod Pending (exit 0).
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { explainFiles } from "../../src/cli/explain.js";
import { SchedulingCycle } from "../../src/scheduler/cycle.js";
import { Code } from "../../src/scheduler/framework.js";
import { loadPluginModule } from "../../src/scheduler/custom/loadPlugin.js";
import { PluginError } from "../../src/scheduler/custom/pluginError.js";
import { buildProfile } from "../../src/scheduler/registry.js";
import { cluster, pod } from "./helpers.js";
import { ensureBuiltCli, kubesim as run } from "../cli/builtCli.js";

const DIR = mkdtempSync(join(tmpdir(), "kubesim-plugins-"));

/** Write a plugin module `name` whose plugin object has `body` (JavaScript members) and load it. */
async function plugin(name: string, body: string): Promise<string> {
  const file = join(DIR, `${name}.mjs`);
  writeFileSync(file, `export const name = ${JSON.stringify(name)};\nexport function create() {\n  return { name, ${body} };\n}\n`);
  await loadPluginModule(file, "test");
  return file;
}

/** One cycle of a profile made of `names` (weights 1) on three 4-cpu nodes n0..n2, for pod default/web-0. */
function cycleOf(...names: string[]) {
  const snap = cluster([0, 1, 2].map((i) => ({ name: `n${i}`, cpu: "4", memory: "8Gi" })));
  const profile = buildProfile({ schedulerName: "default-scheduler", plugins: names.map((name) => ({ name })) }, snap);
  const cycle = new SchedulingCycle(profile, snap, { tieBreak: "first" });
  cycle.state.podName = "default/web-0";
  return { run: () => cycle.scheduleOne(snap.compile(pod({ name: "web-0", containers: [{ cpu: "100m", memory: "100Mi" }] }))) };
}

function pluginErrorOf(f: () => unknown): PluginError {
  try {
    f();
  } catch (e) {
    if (e instanceof PluginError) return e;
    throw new Error(`expected a PluginError, got ${String(e)}`);
  }
  throw new Error("expected a PluginError, nothing was thrown");
}

const SCORE = (expr: string) => `score(state, pod, nodes, count, out) { for (let i = 0; i < count; i++) out[i] = ${expr}; return 0; }`;

describe("a custom plugin's failure names the plugin, the extension point and the pod", () => {
  it("an exception in Score: the plugin's own message and its stack", async () => {
    const file = await plugin("ThrowsInScore", `score() { throw new Error("boom in score\\nsecond line"); }`);
    const e = pluginErrorOf(cycleOf("ThrowsInScore").run);
    expect([e.plugin, e.point, e.pod, e.detail]).toEqual(["ThrowsInScore", "Score", "default/web-0", "boom in score"]);
    expect(e.message).toBe("plugin ThrowsInScore failed at Score for pod default/web-0: boom in score");
    expect(e.pluginStack).toContain(file);
  });

  it("an exception in Filter, a thrown string: no stack to show", async () => {
    await plugin("ThrowsInFilter", `reasons: [], filter() { throw "not an Error"; }`);
    const e = pluginErrorOf(cycleOf("ThrowsInFilter").run);
    expect([e.point, e.detail, e.pluginStack]).toEqual(["Filter", "not an Error", ""]);
  });

  it.each([
    ["Above", "150", 'plugin "Above" returns an invalid score 150, it should in the range of [0, 100] after normalizing (node n0)'],
    ["Below", "-1", 'plugin "Below" returns an invalid score -1, it should in the range of [0, 100] after normalizing (node n0)'],
    ["Fraction", "37.5", 'plugin "Fraction" returns an invalid score 37.5, it should be an integer in the range of [0, 100] after normalizing (node n0)'],
    ["NotANumber", "NaN", 'plugin "NotANumber" returns an invalid score NaN (NaN, or no score written for the node), it should be an integer in the range of [0, 100] after normalizing (node n0)'],
  ])("Score writes %s: upstream's invalid-score message", async (name, value, detail) => {
    await plugin(name, SCORE(value));
    const e = pluginErrorOf(cycleOf(name).run);
    expect([e.plugin, e.point, e.pod, e.detail]).toEqual([name, "Score", "default/web-0", detail]);
  });

  it("a score left unwritten is caught (the buffer starts as NaN)", async () => {
    await plugin("SkipsLastNode", `score(state, pod, nodes, count, out) { for (let i = 0; i < count - 1; i++) out[i] = 10; return 0; }`);
    expect(pluginErrorOf(cycleOf("SkipsLastNode").run).detail).toContain("invalid score NaN (NaN, or no score written for the node)");
  });

  it("with NormalizeScore, raw scores may be any number and the normalized ones are checked", async () => {
    // Raw: 1000 x node index; a correct normalize maps them to 0, 50, 100 -> n2 wins.
    await plugin(
      "GoodNormalize",
      `${SCORE("1000 * nodes[i]")}, normalizeScore(state, pod, nodes, count, s) { for (let i = 0; i < count; i++) s[i] = s[i] / 20; return 0; }`,
    );
    expect(cycleOf("GoodNormalize").run().node).toBe(2);
    await plugin("BadNormalize", `${SCORE("1000 * nodes[i]")}, normalizeScore(state, pod, nodes, count, s) { for (let i = 0; i < count; i++) s[i] = s[i] / 10; return 0; }`);
    const e = pluginErrorOf(cycleOf("BadNormalize").run);
    // 0, 1000, 2000 / 10 = 0, 100, 200: n2's 200 is out of range.
    expect([e.point, e.detail]).toEqual(["NormalizeScore", 'plugin "BadNormalize" returns an invalid score 200, it should in the range of [0, 100] after normalizing (node n2)']);
  });

  it("a missing return statement is not a status code", async () => {
    await plugin("NoReturn", `score(state, pod, nodes, count, out) { for (let i = 0; i < count; i++) out[i] = 1; }`);
    const e = pluginErrorOf(cycleOf("NoReturn").run);
    expect([e.point, e.detail]).toEqual(["Score", "returned undefined (no return statement?), expected a status code: 0 (Success), 3 (Error)"]);
  });

  it("the Error status keeps upstream's meaning: this pod's cycle fails, nothing is thrown", async () => {
    await plugin("SaysError", `score() { return 3; }`);
    expect(cycleOf("SaysError").run().code).toBe(Code.Error);
  });

  it("a well-behaved plugin's integer scores reach the cycle unchanged", async () => {
    await plugin("PrefersN1", SCORE("nodes[i] === 1 ? 100 : 0"));
    expect(cycleOf("PrefersN1").run().node).toBe(1);
  });
});

// ---------------------------------------------------------------------------
// Through a run (the library) and the CLI

function scenario(module: string, plugin: string) {
  return {
    name: "plugin-failure",
    duration: "5m",
    scheduler: {
      customPlugins: [{ module }],
      config: {
        apiVersion: "kubescheduler.config.k8s.io/v1",
        kind: "KubeSchedulerConfiguration",
        profiles: [{ schedulerName: "default-scheduler", plugins: { multiPoint: { enabled: [{ name: plugin }] } } }],
      },
    },
    nodePools: [{ name: "general", count: 3, allocatable: { cpu: "8", memory: "32Gi", pods: 110 } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "shop" },
        spec: {
          replicas: 4,
          selector: { matchLabels: { app: "api" } },
          template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image: "api:1", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } },
        },
      },
    ],
  };
}

/** A module file (not loaded here: the run loads it). */
function moduleFile(name: string, body: string): string {
  const file = join(DIR, `${name}.mjs`);
  writeFileSync(file, `export const name = ${JSON.stringify(name)};\nexport function create() {\n  return { name, ${body} };\n}\n`);
  return file;
}

describe("in a run", () => {
  it("an exception in Score stops the run with a PluginError naming the pod", () => {
    const file = moduleFile("RunThrows", `score() { throw new Error("boom in score"); }`);
    let err: unknown;
    try {
      simulate(scenario(file, "RunThrows"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PluginError);
    const e = err as PluginError;
    expect([e.plugin, e.point, e.detail]).toEqual(["RunThrows", "Score", "boom in score"]);
    expect(e.pod).toMatch(/^shop\/api-[a-z0-9]+-[a-z0-9]{5}$/);
  });

  it("an out-of-range score stops the run instead of leaving every pod Pending", () => {
    const file = moduleFile("RunAbove", SCORE("150"));
    expect(() => simulate(scenario(file, "RunAbove"))).toThrow(PluginError);
  });
});


function kubesim(args: string[], env: Record<string, string> = {}) {
  return run(args, DIR, { env });
}

describe("the CLI", () => {
  beforeAll(() => {
    ensureBuiltCli();
  }, 120_000);

  it("kubesim run: one line, exit status 3, no results folder", () => {
    const file = moduleFile("CliAbove", SCORE("150"));
    writeFileSync(join(DIR, "above.json"), JSON.stringify(scenario(file, "CliAbove")));
    const r = kubesim(["run", "above.json", "--out", "out-above", "--quiet"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^kubesim: plugin CliAbove failed at Score for pod shop\/api-[a-z0-9]+-[a-z0-9]{5}: plugin "CliAbove" returns an invalid score 150, it should in the range of \[0, 100\] after normalizing \(node general-\d\)\n$/,
    );
    expect(existsSync(join(DIR, "out-above"))).toBe(false);
  });

  it("kubesim run with KUBESIM_DEBUG=1: the line, then the plugin's stack", () => {
    const file = moduleFile("CliThrows", `score() { throw new Error("boom in score"); }`);
    writeFileSync(join(DIR, "throws.json"), JSON.stringify(scenario(file, "CliThrows")));
    const quiet = kubesim(["run", "throws.json", "--out", "out-throws", "--quiet"]);
    expect(quiet.code).toBe(3);
    expect(quiet.stderr).toMatch(/^kubesim: plugin CliThrows failed at Score for pod shop\/api-\S+: boom in score \(set KUBESIM_DEBUG=1 for the plugin's stack\)\n$/);
    const debug = kubesim(["run", "throws.json", "--out", "out-throws", "--quiet"], { KUBESIM_DEBUG: "1" });
    expect(debug.code).toBe(3);
    const lines = debug.stderr.split("\n");
    expect(lines[0]).toMatch(/^kubesim: plugin CliThrows failed at Score for pod shop\/api-\S+: boom in score$/);
    expect(lines[1]).toBe("Error: boom in score");
    expect(lines[2]).toContain(file);
  });

  it("kubesim explain: the same line and exit status, naming the explained pod", () => {
    const file = moduleFile("ExplainThrows", `score() { throw new Error("boom in score"); }`);
    writeFileSync(
      join(DIR, "explain-config.yaml"),
      "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: default-scheduler\n  plugins:\n    multiPoint:\n      enabled: [{name: ExplainThrows}]\n",
    );
    const F = join(process.cwd(), "test/scheduler/fixtures/explain");
    const r = kubesim(["explain", "--cluster", `${F}/cluster.yaml`, "--pod", `${F}/pod.yaml`, "--config", "explain-config.yaml", "--plugin", file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("kubesim: plugin ExplainThrows failed at Score for pod default/api-7: boom in score (set KUBESIM_DEBUG=1 for the plugin's stack)\n");
  });
});

describe("explainFiles (the library form of explain)", () => {
  it("rejects with the PluginError", async () => {
    const file = moduleFile("ExplainAbove", SCORE("150"));
    const config = join(DIR, "explain-above.yaml");
    writeFileSync(config, "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: default-scheduler\n  plugins:\n    multiPoint:\n      enabled: [{name: ExplainAbove}]\n");
    const F = "test/scheduler/fixtures/explain";
    await expect(explainFiles({ cluster: [`${F}/cluster.yaml`], pod: `${F}/pod.yaml`, config, plugins: [file] }, [])).rejects.toThrow(
      /^plugin ExplainAbove failed at Score for pod default\/api-7: plugin "ExplainAbove" returns an invalid score 150/,
    );
  });
});
