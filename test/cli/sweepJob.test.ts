/**
 * `kubesim sweep job`: the printed Indexed Job and ConfigMap validate against the
 * Kubernetes OpenAPI schema (kubernetes-models) and kubesim's own copy of upstream's
 * validation, and say what the sweep needs: one completion per shard, the shard count
 * passed to the sweep, the sweep's flags verbatim, the scenario and its files mounted
 * where the scenario names them.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import yargs from "yargs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap } from "kubernetes-models/v1";
import { sweepJobCommand, sweepJobText } from "../../src/cli/sweep/sweepJob.js";
import { validateObject } from "../../src/apiserver/admission/validation/validateObject.js";
import { kubesimVersion } from "../../src/cli/version.js";

interface Container {
  args: string[];
  image: string;
  workingDir: string;
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  configMap?: { name: string; items: { key: string; path: string }[] };
  persistentVolumeClaim?: { claimName: string };
}
interface JobObject {
  metadata: { name: string };
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    backoffLimitPerIndex: number;
    template: { spec: { restartPolicy: string; containers: Container[]; volumes: Volume[] } };
  };
}
interface ConfigMapObject {
  metadata: { name: string };
  data: Record<string, string>;
}

function documents(text: string): [JobObject, ConfigMapObject] {
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  const values = docs.map((d) => d.toJS()).filter((v) => v !== null);
  expect(values.map((v) => v.kind)).toEqual(["Job", "ConfigMap"]);
  return values as [JobObject, ConfigMapObject];
}

/** A scenario in a temporary folder naming a manifests file in a subfolder. */
function scenarioDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kubesim-job-"));
  const fixture = join(process.cwd(), "test/fixtures/rerun");
  mkdirSync(join(dir, "apps"));
  writeFileSync(join(dir, "apps/web.yaml"), readFileSync(join(fixture, "apps/web.yaml")));
  writeFileSync(join(dir, "scn.yaml"), readFileSync(join(fixture, "tiny.yaml"), "utf8").replace("scheduler:\n  configFile: sched.yaml\n", "").replace("name: tiny", "name: tiny.sweep"));
  return dir;
}

const PARAMS = ["nodePools[0].count=2,4,8", 'workloads[1].rate="0.1,0.2"'];
const SET = ["faults[0]={type: node-failure, at: 3m, pool: general, count: 1}", `description='a: b # it''s "quoted"'`];

describe("kubesim sweep job", () => {
  it("prints a Job and a ConfigMap that validate against the Kubernetes schema and upstream's rules", () => {
    const dir = scenarioDir();
    const [job, cm] = documents(sweepJobText({ scenario: join(dir, "scn.yaml"), shards: 12, param: PARAMS, seeds: "10", set: SET }));
    expect(() => new Job(job as never).validate()).not.toThrow();
    expect(() => new ConfigMap(cm as never).validate()).not.toThrow();
    expect(validateObject(job)).toBeUndefined();
  });

  it("the schema check can fail: a Job whose completions is a string, or without a template, is refused", () => {
    const dir = scenarioDir();
    const [job] = documents(sweepJobText({ scenario: join(dir, "scn.yaml"), shards: 4 }));
    expect(() => new Job({ ...job, spec: { ...job.spec, completions: "4" } } as never).validate()).toThrow(/completions/);
    const { template: _t, ...noTemplate } = job.spec;
    expect(() => new Job({ ...job, spec: noTemplate } as never).validate()).toThrow(/template/);
    expect(() => new ConfigMap({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: 1 } } as never).validate()).toThrow();
  });

  it("one completion per shard, Indexed, the sweep's flags verbatim with --shards n, the volumes mounted", () => {
    const dir = scenarioDir();
    const [job, cm] = documents(sweepJobText({ scenario: join(dir, "scn.yaml"), shards: 12, param: PARAMS, seeds: "10", set: SET }));
    const spec = job.spec;
    expect([spec.completionMode, spec.completions, spec.parallelism, spec.template.spec.restartPolicy]).toEqual(["Indexed", 12, 10, "Never"]);
    expect(spec.backoffLimitPerIndex).toBe(1);
    // The scenario's name made a DNS label: "tiny.sweep" -> kubesim-sweep-tiny-sweep.
    expect(job.metadata.name).toBe("kubesim-sweep-tiny-sweep");
    const c = spec.template.spec.containers[0];
    expect(c.image).toBe(`kubesim:${kubesimVersion()}`);
    expect(c.args).toEqual([
      "sweep",
      "/scenario/scn.yaml",
      "--param", PARAMS[0],
      "--param", PARAMS[1],
      "--seeds", "10",
      "--set", SET[0],
      "--set", SET[1],
      "--shards", "12",
      "--workers", "2",
      "--out", "/results/kubesim-sweep-tiny-sweep/shard-$(JOB_COMPLETION_INDEX)",
    ]);
    // Defaults: 2 cpu, 2 workers, 4Gi (2Gi per worker) requested and the memory limit.
    expect(c.resources).toEqual({ requests: { cpu: "2", memory: "4Gi" }, limits: { memory: "4Gi" } });
    // Every mount names a volume; the scenario and its manifests file are under /scenario at the paths the scenario uses.
    const volumes = new Map(spec.template.spec.volumes.map((v) => [v.name, v]));
    for (const m of c.volumeMounts) expect(volumes.has(m.name)).toBe(true);
    const byPath = new Map(c.volumeMounts.map((m) => [m.mountPath, volumes.get(m.name)!]));
    expect(byPath.get("/results")!.persistentVolumeClaim).toEqual({ claimName: "kubesim-results" });
    const scenarioVolume = byPath.get("/scenario")!.configMap!;
    expect(scenarioVolume.name).toBe(cm.metadata.name);
    expect(c.workingDir).toBe("/scenario");
    const files = new Map(scenarioVolume.items.map((i) => [i.path, cm.data[i.key]]));
    expect([...files.keys()]).toEqual(["scn.yaml", "apps/web.yaml"]);
    expect(files.get("scn.yaml")).toBe(readFileSync(join(dir, "scn.yaml"), "utf8"));
    expect(files.get("apps/web.yaml")).toBe(readFileSync(join(dir, "apps/web.yaml"), "utf8"));
  });

  it("a plugin module named relative to the working directory is mounted at that path under the working directory /scenario", () => {
    const [job, cm] = documents(sweepJobText({ scenario: "scenarios/scheduler-compare-plugin.yaml", shards: 2, cpu: "3500m", memory: "5Gi", pvc: "sweeps", image: "registry.example/kubesim:1", namespace: "batch" }));
    const items = job.spec.template.spec.volumes.find((v) => v.configMap)!.configMap!.items;
    expect(items.map((i) => i.path)).toEqual(["scheduler-compare-plugin.yaml", "scenarios/plugins/dominantResourceFit.mjs"]);
    expect(cm.data[items[1].key]).toBe(readFileSync("scenarios/plugins/dominantResourceFit.mjs", "utf8"));
    const c = job.spec.template.spec.containers[0];
    // 3.5 cpu: 3 workers.
    expect(c.args.slice(-6)).toEqual(["--shards", "2", "--workers", "3", "--out", "/results/kubesim-sweep-scheduler-compare-plugin/shard-$(JOB_COMPLETION_INDEX)"]);
    expect(c.resources).toEqual({ requests: { cpu: "3500m", memory: "5Gi" }, limits: { memory: "5Gi" } });
    expect(job.spec.parallelism).toBe(2);
    expect(() => new Job(job as never).validate()).not.toThrow();
  });

  it("leaves room in the Job's name for the largest index (the pods' hostnames are DNS labels)", () => {
    const dir = scenarioDir();
    writeFileSync(join(dir, "long.yaml"), readFileSync(join(dir, "scn.yaml"), "utf8").replace("name: tiny.sweep", `name: ${"x".repeat(80)}`));
    const [job] = documents(sweepJobText({ scenario: join(dir, "long.yaml"), shards: 1000 }));
    expect(`${job.metadata.name}-999`.length).toBe(63);
    expect(() => sweepJobText({ scenario: join(dir, "scn.yaml"), shards: 1000, name: "y".repeat(60) })).toThrow(
      `--name: expected a name whose pods' hostnames are DNS-1123 labels ("${"y".repeat(60)}-999": must be no more than 63 characters), got "${"y".repeat(60)}"`,
    );
  });

  it("bad input is one line naming the flag or the scenario field", () => {
    const dir = scenarioDir();
    const scn = join(dir, "scn.yaml");
    expect(() => sweepJobText({ scenario: scn, shards: 2, cpu: "lots" })).toThrow('--cpu: expected a positive cpu quantity such as 2 or 1500m, got "lots"');
    expect(() => sweepJobText({ scenario: scn, shards: 2, pvc: "Bad_Name" })).toThrow(/^--pvc: expected a PersistentVolumeClaim name/);
    writeFileSync(join(dir, "up.yaml"), readFileSync(scn, "utf8").replace("manifests: apps/web.yaml", "manifests: ../web.yaml"));
    writeFileSync(join(dir, "../web.yaml"), readFileSync(join(dir, "apps/web.yaml")));
    expect(() => sweepJobText({ scenario: join(dir, "up.yaml"), shards: 2 })).toThrow(
      `${join(dir, "up.yaml")}: workloads[0].manifests: expected a path inside the scenario's folder for kubesim sweep job (the Job mounts the inputs under /scenario), got "../web.yaml"`,
    );
  });
});

describe("sweepJobCommand under a yargs `sweep` command", () => {
  afterEach(() => vi.restoreAllMocks());

  it("parses `sweep job <scenario> --shards n ...` and prints the documents", async () => {
    const dir = scenarioDir();
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out += String(s);
      return true;
    });
    await yargs(["sweep", "job", join(dir, "scn.yaml"), "--shards", "3", "--param", PARAMS[0], "--seeds", "4", "--set", SET[0]])
      .command({ command: "sweep", describe: "sweeps", builder: (y) => y.command(sweepJobCommand), handler: () => {} })
      .strict()
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .parseAsync();
    vi.restoreAllMocks();
    const [job] = documents(out);
    expect(job.spec.completions).toBe(3);
    expect(job.spec.template.spec.containers[0].args).toContain(SET[0]);
    expect(out.startsWith("# kubesim sweep job: 3 shards")).toBe(true);
    expect(out).toContain("# Merge:    kubesim sweep merge ./kubesim-sweep-tiny-sweep/shard-* --out results/kubesim-sweep-tiny-sweep");
  });
});
