/**
 * Input files and YAML: whatever the parser would throw from deep inside (alias bombs,
 * undefined aliases, keys that are lists) is one line naming the file and, where the
 * parser knows it, the line; an input file must be a regular file within the size
 * limit (KUBESIM_MAX_FILE_BYTES). Inputs that hang the old loader (/dev/zero, a named
 * pipe) are tested through the CLI with a timeout: test/cli/hardening.test.ts.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { loadScenarioFile, parseScenarioText } from "../../src/scenario/load.js";

const OK = `name: ok
duration: 10m
nodePools: [{name: a, count: 1, allocatable: {cpu: 1, memory: 1Gi}}]
`;

function message(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = (e as Error).message;
    expect(m.split("\n")).toHaveLength(1);
    return m;
  }
  throw new Error("expected an error");
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kubesim-input-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("YAML the parser cannot turn into plain values", () => {
  it("an alias inside the node it names (a cycle) and tags whose values are not JSON are one line each", () => {
    expect(message(() => parseScenarioText("c.yaml", "a: &e {self: *e}\n"))).toBe("c.yaml:1:14: YAML error: alias *e is inside the node &e it names (a cycle; Kubernetes objects have none)");
    expect(message(() => parseScenarioText("t.yaml", "name: !custom x\n"))).toBe("t.yaml:1:7: YAML error: Unresolved tag: !custom");
    expect(message(() => parseScenarioText("b.yaml", "a: !!binary aGk=\n"))).toMatch(/^b\.yaml:1:\d+: YAML error: !!binary values are not JSON values/);
    expect(message(() => parseScenarioText("s.yaml", "a: !!set {x}\n"))).toMatch(/^s\.yaml:1:\d+: YAML error: !!set values are not JSON values/);
    expect(parseScenarioText("ok.yaml", "a: !!str 5\nb: !!int '7'\n")).toEqual({ a: "5", b: 7 });
  });

  it("an alias bomb (each level nine times the last) stops at the alias limit", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    expect(message(() => parseScenarioText("bomb.yaml", levels.join("\n")))).toBe(
      "bomb.yaml:2:10: YAML error: aliases (*name) expand more than 1000 times (an alias bomb?); write the repeated parts out or nest fewer aliases",
    );
  });

  it("an alias without its anchor names the line and column", () => {
    expect(message(() => parseScenarioText("s.yaml", "duration: 1h\nname: *nope\n"))).toBe("s.yaml:2:7: YAML error: alias *nope has no anchor &nope before it");
    // An anchor defined after its alias is not defined yet (YAML reads in order).
    expect(message(() => parseScenarioText("s.yaml", "a: *x\nb: &x 1\n"))).toBe("s.yaml:1:4: YAML error: alias *x has no anchor &x before it");
  });

  it("a key that is a list, a mapping or an alias", () => {
    expect(message(() => parseScenarioText("s.yaml", "name: x\n? [a, b]\n: c\n"))).toBe("s.yaml:2:3: YAML error: expected a plain key (a name), got a list as a key");
    expect(message(() => parseScenarioText("s.yaml", "{a: 1}: c\n"))).toBe("s.yaml:1:1: YAML error: expected a plain key (a name), got a mapping as a key");
    expect(message(() => parseScenarioText("s.yaml", "k: &k x\n*k : c\n"))).toBe("s.yaml:2:1: YAML error: expected a plain key (a name), got an alias as a key");
  });

  it("aliases used a few times are fine", () => {
    expect(parseScenarioText("s.yaml", "a: &r {cpu: 1}\nb: *r\nc: [*r, *r]\n")).toEqual({ a: { cpu: 1 }, b: { cpu: 1 }, c: [{ cpu: 1 }, { cpu: 1 }] });
  });

  it("the same in a manifest file: the manifest is named", () => {
    const dir = dirWith({ "s.yaml": `${OK}workloads: [{manifests: m.yaml}]\n`, "m.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: *p}\n" });
    expect(message(() => loadScenarioFile(join(dir, "s.yaml")))).toMatch(/m\.yaml:3:18: YAML error: alias \*p has no anchor &p before it$/);
  });
});

describe("input files", () => {
  const saved = process.env.KUBESIM_MAX_FILE_BYTES;
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBESIM_MAX_FILE_BYTES;
    else process.env.KUBESIM_MAX_FILE_BYTES = saved;
  });

  it("a file over the limit names the file, the limit and how to raise it", () => {
    const dir = dirWith({ "s.yaml": OK + `description: "${"x".repeat(3000)}"\n` });
    process.env.KUBESIM_MAX_FILE_BYTES = "2Ki";
    expect(message(() => loadScenarioFile(join(dir, "s.yaml")))).toBe(`${join(dir, "s.yaml")}: it has 3 KiB; input files are limited to 2 KiB: raise the limit with KUBESIM_MAX_FILE_BYTES=1Mi`);
    process.env.KUBESIM_MAX_FILE_BYTES = "4Ki";
    expect(loadScenarioFile(join(dir, "s.yaml")).scenario.name).toBe("ok");
  });

  it("the default limit is 16 MiB", () => {
    const dir = dirWith({ "s.yaml": OK + `description: "${"x".repeat(16 * 1024 * 1024)}"\n` });
    expect(message(() => loadScenarioFile(join(dir, "s.yaml")))).toBe(`${join(dir, "s.yaml")}: it has 16 MiB; input files are limited to 16 MiB: raise the limit with KUBESIM_MAX_FILE_BYTES=32Mi`);
  });

  it("a manifest file over the limit is named by the scenario field that names it", () => {
    const dir = dirWith({ "s.yaml": `${OK}workloads: [{manifests: m.yaml}]\n`, "m.yaml": `# ${"x".repeat(5000)}\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n` });
    process.env.KUBESIM_MAX_FILE_BYTES = "4096";
    expect(message(() => loadScenarioFile(join(dir, "s.yaml")))).toBe(
      `${join(dir, "s.yaml")}: workloads[0].manifests: expected a readable manifest file, got "m.yaml" (it has 4.9 KiB; input files are limited to 4 KiB: raise the limit with KUBESIM_MAX_FILE_BYTES=1Mi)`,
    );
  });

  it("a directory is not a scenario file; a bad limit setting is named", () => {
    const dir = dirWith({});
    expect(message(() => loadScenarioFile(dir))).toBe(`${dir}: expected a regular file, got a directory`);
    process.env.KUBESIM_MAX_FILE_BYTES = "lots";
    expect(message(() => loadScenarioFile(join(dirWith({ "s.yaml": OK }), "s.yaml")))).toBe('KUBESIM_MAX_FILE_BYTES: expected a positive number of bytes such as 67108864 or 64Mi, got "lots"');
  });

  it("scheduler.configFile is read the same way", () => {
    const dir = dirWith({ "sched.yaml": "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: *p\n" });
    const s = join(dir, "s.yaml");
    writeFileSync(s, `${OK}scheduler: {configFile: ${join(dir, "sched.yaml")}}\n`);
    expect(message(() => loadScenarioFile(s))).toBe(`${join(dir, "sched.yaml")}:3:11: YAML error: alias *p has no anchor &p before it`);
    writeFileSync(s, `${OK}scheduler: {configFile: ${dir}}\n`);
    expect(message(() => loadScenarioFile(s))).toBe(`${s}: scheduler.configFile: expected a readable KubeSchedulerConfiguration file, got "${dir}" (expected a regular file, got a directory)`);
  });
});
