/**
 * The built CLI on bad command lines and hostile inputs: every flag with a missing or
 * malformed value, every input that used to hang, crash or print a stack trace, ends in
 * one line on stderr and exit status 2, within seconds (each spawn has a timeout, so a
 * hang fails the test instead of stalling it). And the outputs: default folders differ
 * when only the overrides differ; warnings go to stderr once and into manifest.json.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim as run } from "./builtCli.js";

/** Long enough for any refusal; a read of /dev/zero or a FIFO never finishes. */
const TIMEOUT_MS = 30_000;

function kubesim(args: string[], cwd = process.cwd()) {
  return run(args, cwd, { timeoutMs: TIMEOUT_MS });
}

/** Exit 2 and exactly one line on stderr, nothing on stdout; returns the line. */
function oneLine(r: { code: number | null; stdout: string; stderr: string }): string {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  return lines[0];
}

const SMALL = `name: small
duration: 2m
sampleInterval: 30s
nodePools:
  - {name: a, count: 2, allocatable: {cpu: "4", memory: 8Gi}}
workloads:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}
faults:
  - {type: node-failure, at: 1m, node: a-0}
`;

let dir: string;
beforeAll(() => {
  ensureBuiltCli();
  dir = mkdtempSync(join(tmpdir(), "kubesim-hard-"));
  writeFileSync(join(dir, "small.yaml"), SMALL);
  writeFileSync(join(dir, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n");
}, 120_000);

describe("flags", () => {
  it.each(
    [
      ["run", "small.yaml", "--out"],
      ["run", "small.yaml", "--set"],
      ["run", "small.yaml", "--seed"],
      ["validate", "small.yaml", "--set"],
      ["explain", "--pod", "pod.yaml", "--cluster"],
      ["explain", "--cluster", "pod.yaml", "--pod"],
      ["explain", "--cluster", "pod.yaml", "--pod", "pod.yaml", "--config"],
      ["explain", "--cluster", "pod.yaml", "--pod", "pod.yaml", "--plugin"],
    ].map((args) => [args.join(" "), args] as const),
  )("kubesim %s (the flag without its value): one line naming the flag", (_, args) => {
    const flag = args[args.length - 1];
    expect(oneLine(kubesim([...args], dir))).toBe(`kubesim: ${flag}: expected a value after the flag (see kubesim --help)`);
  });

  it("malformed values: a seed that is not an integer or not exact in a double, an empty or repeated single value", () => {
    expect(oneLine(kubesim(["run", "small.yaml", "--seed", "1e3"], dir))).toBe('--seed: expected a non-negative integer, got "1e3"');
    expect(oneLine(kubesim(["run", "small.yaml", "--seed", "99999999999999999999"], dir))).toMatch(/^--seed: expected a non-negative integer of at most 9007199254740991/);
    expect(oneLine(kubesim(["run", "small.yaml", "--out="], dir))).toBe("--out: expected a value (the output folder), got an empty one");
    expect(oneLine(kubesim(["run", "small.yaml", "--out", "a", "--out", "b"], dir))).toBe('--out: expected one value (the output folder), got 2: "a", "b"');
    expect(oneLine(kubesim(["explain", "--cluster", "pod.yaml", "--pod", "pod.yaml", "--pod", "pod.yaml"], dir))).toMatch(/^--pod: expected one value \(the pod file\), got 2/);
    expect(readdirSync(dir).sort()).toEqual(["pod.yaml", "small.yaml"]);
  });

  it("unknown commands and flags are one line; --help still works", () => {
    expect(oneLine(kubesim(["frob"], dir))).toBe("kubesim: Unknown argument: frob (see kubesim --help)");
    expect(oneLine(kubesim(["validate", "small.yaml", "--bogus"], dir))).toBe("kubesim: Unknown argument: bogus (see kubesim --help)");
    expect(oneLine(kubesim(["run"], dir))).toBe("kubesim: expected a scenario file after the command (see kubesim --help)");
    for (const args of [["--help"], ["run", "--help"], ["explain", "--help"]]) {
      const r = kubesim(args, dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("--help");
    }
  });

  it("--set __proto__.x=1 is refused, not a crash", () => {
    expect(oneLine(kubesim(["validate", "small.yaml", "--set", "__proto__.x=1"], dir))).toMatch(/^--set: __proto__\.x: expected a field path like nodePools\[0\]\.count, got "__proto__"/);
  });
});

describe("inputs that hung or crashed", () => {
  it("manifests: /dev/zero is refused before it is read", () => {
    writeFileSync(join(dir, "zero.yaml"), SMALL.replace("workloads:\n", "workloads:\n  - manifests: /dev/zero\n"));
    expect(oneLine(kubesim(["validate", "zero.yaml"], dir))).toBe('zero.yaml: workloads[0].manifests: expected a readable manifest file, got "/dev/zero" (expected a regular file, got a character device)');
  });

  it("a named pipe as the scenario, /dev/zero to explain", () => {
    const fifo = join(dir, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    expect(oneLine(kubesim(["validate", fifo], dir))).toBe(`${fifo}: expected a regular file, got a named pipe`);
    expect(oneLine(kubesim(["explain", "--cluster", "/dev/zero", "--pod", "pod.yaml"], dir))).toBe("/dev/zero: expected a regular file, got a character device");
    expect(oneLine(kubesim(["explain", "--cluster", "pod.yaml", "--pod", "pod.yaml", "--config", "/dev/zero"], dir))).toBe("/dev/zero: expected a regular file, got a character device");
  });

  it("YAML: an alias bomb and an undefined alias exit 2; a complex key prints no Node warning", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) bomb.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    writeFileSync(join(dir, "bomb.yaml"), bomb.join("\n"));
    expect(oneLine(kubesim(["validate", "bomb.yaml"], dir))).toMatch(/^bomb\.yaml:\d+:\d+: YAML error: aliases \(\*name\) expand more than 1000 times/);
    writeFileSync(join(dir, "undef.yaml"), "name: *nope\n");
    expect(oneLine(kubesim(["validate", "undef.yaml"], dir))).toBe("undef.yaml:1:7: YAML error: alias *nope has no anchor &nope before it");
    writeFileSync(join(dir, "complex.yaml"), "? [a, b]\n: c\n");
    expect(oneLine(kubesim(["validate", "complex.yaml"], dir))).toBe("complex.yaml:1:3: YAML error: expected a plain key (a name), got a list as a key");
  });

  it("2^31 nodes, 10^6 control-plane hosts, 10^9 API reads per second, 10^12 raft members: refused at once", () => {
    expect(oneLine(kubesim(["run", "small.yaml", "--set", "nodePools[0].count=2147483648"], dir))).toMatch(/^small\.yaml: nodePools\[0\]\.count: expected at most 100,000 nodes in all pools \(limits\.nodes\)/);
    expect(oneLine(kubesim(["run", "small.yaml", "--set", "controlPlane.controlPlaneHosts=1000000"], dir))).toMatch(/^small\.yaml: controlPlane\.controlPlaneHosts: expected at most 31 /);
    expect(oneLine(kubesim(["run", "small.yaml", "--set", "controlPlane.load.cachedReadsPerSecond=1e9"], dir))).toMatch(/^small\.yaml: controlPlane\.load\.cachedReadsPerSecond: expected a number of requests per second from 0 to 100,000/);
    expect(oneLine(kubesim(["run", join(process.cwd(), "scenarios/raft-election.yaml"), "--set", "controlPlane.experiment.members=1000000000000", "--out", "raft"], dir))).toMatch(/controlPlane\.experiment\.members: expected at most 31 members/);
    expect(existsSync(join(dir, "results"))).toBe(false);
  });
});

describe("outputs", () => {
  it("runs that differ only in their overrides write to different default folders; without --set the folder is <name>-<seed>", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kubesim-hard-"));
    writeFileSync(join(cwd, "small.yaml"), SMALL);
    expect(kubesim(["run", "small.yaml", "-q"], cwd).code).toBe(0);
    expect(kubesim(["run", "small.yaml", "-q", "--set", "nodePools[0].count=3"], cwd).code).toBe(0);
    expect(kubesim(["run", "small.yaml", "-q", "--set", "nodePools[0].count=4"], cwd).code).toBe(0);
    // The same override written differently is the same variant.
    expect(kubesim(["run", "small.yaml", "-q", "--set", "nodePools[0].count= 4"], cwd).code).toBe(0);
    const folders = readdirSync(join(cwd, "results")).sort();
    expect(folders).toHaveLength(3);
    expect(folders[0]).toBe("small-1");
    for (const f of folders.slice(1)) expect(f).toMatch(/^small-1-[0-9a-f]{8}$/);
    const nodes = folders.map((f) => JSON.parse(readFileSync(join(cwd, "results", f, "manifest.json"), "utf8")).counts.nodes);
    expect(nodes.sort()).toEqual([2, 3, 4]);
  });

  it("warnings: once on stderr (not with --quiet) and in manifest.json; a fault after the end is not an error", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kubesim-hard-"));
    writeFileSync(join(cwd, "small.yaml"), SMALL);
    const expected = "small.yaml: faults[0] (node-failure) at 1m is after the end of the run (duration 30s): not reached";
    const r = kubesim(["run", "small.yaml", "--set", "duration=30s", "--out", "w"], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: ${expected}\n`);
    expect(JSON.parse(readFileSync(join(cwd, "w", "manifest.json"), "utf8")).warnings).toEqual([expected]);
    const q = kubesim(["run", "small.yaml", "--set", "duration=30s", "--out", "w", "-q"], cwd);
    expect(q).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(JSON.parse(readFileSync(join(cwd, "w", "manifest.json"), "utf8")).warnings).toEqual([expected]);
    const v = kubesim(["validate", "small.yaml", "--set", "duration=30s"], cwd);
    expect(v.code).toBe(0);
    expect(v.stderr).toBe(`warning: ${expected}\n`);
    expect(JSON.parse(readFileSync(join(cwd, "w", "manifest.json"), "utf8")).warnings).toEqual([expected]);
    const plain = kubesim(["run", "small.yaml", "--out", "p"], cwd);
    expect(plain.stderr).toBe("");
    expect(JSON.parse(readFileSync(join(cwd, "p", "manifest.json"), "utf8")).warnings).toEqual([]);
  });
});
