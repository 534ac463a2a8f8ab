/**
 * `kubesim capacity` as a user runs it, on the hand-written export of scenarios/capacity/
 * (expectations computed by hand from cluster.yaml), and its one-line errors (exit 2).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim } from "./builtCli.js";
import { capacityFiles } from "../../src/cli/capacity.js";

const DIR = "scenarios/capacity";

beforeAll(ensureBuiltCli, 120_000);

describe("kubesim capacity", () => {
  const tmp = (name: string, text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-capacity-"));
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it("--pod: 18 more web replicas fit on the exported cluster, 6 per m6i node, stopped by cpu and the memory nodes' taint", () => {
    // m6i nodes: 7910m allocatable; taken 1000 (web) + 100 (coredns) + 100 (kube-proxy) on a and b,
    // 1000 + 100 + 250 (debug-shell) on c: 6710, 6710, 6560 free -> 6 one-cpu copies each.
    const r = kubesim(["capacity", "--cluster", `${DIR}/cluster.yaml`, "--pod", `${DIR}/web-pod.yaml`, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.copies).toBe(18);
    expect(out.nodes.map((n: { copies: number }) => n.copies)).toEqual([6, 6, 6, 0, 0]);
    expect(out.stoppedBy.message).toBe("0/5 nodes are available: 2 node(s) had untolerated taint(s), 3 Insufficient cpu.");
    const table = kubesim(["capacity", "--cluster", `${DIR}/cluster.yaml`, "--pod", `${DIR}/web-pod.yaml`]);
    expect(table.stdout.split("\n")[0]).toBe("shop/web: 18 more copies fit");
    expect(table.stdout).toContain("The next copy does not fit: 0/5 nodes are available");
  });

  it("--workload --node-type: checkout (30 x 2 cpu, spread over zones) needs 9 m6i nodes, 12 to survive a zone", () => {
    // Existing m6i nodes take 3 pods each (9). A new node takes 3 (7910m - 100m kube-proxy).
    // k new nodes round robin a, b, c: with maxSkew 1 the zones hold min-based counts:
    // k=8 -> 12, 12, 9 slots -> 10 + 10 + 9 = 29; k=9 -> 12, 12, 12 -> 30.
    const r = kubesim(["capacity", "--cluster", `${DIR}/cluster.yaml`, "--workload", `${DIR}/checkout.yaml`, "--node-type", `${DIR}/node-type.yaml`, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.nodes).toBe(9);
    expect(out.search.map((t: { nodes: number; placed: number }) => [t.nodes, t.placed])).toEqual([[0, 9], [1, 10], [2, 11], [4, 19], [8, 29], [16, 30], [12, 30], [10, 30], [9, 30]]);
    // Losing zone a: k=12 leaves b and c 15 slots each (30); k=11 leaves 15 and 12 -> 12 + 13 = 25.
    const z = JSON.parse(kubesim(["capacity", "--cluster", `${DIR}/cluster.yaml`, "--workload", `${DIR}/checkout.yaml`, "--node-type", `${DIR}/node-type.yaml`, "--survive", "zone", "--json"]).stdout);
    expect(z.nodes).toBe(12);
    expect(z.search.find((t: { nodes: number }) => t.nodes === 11)).toMatchObject({ fits: false, placed: 25, failedCase: "without zone eu-west-1a" });
  });

  it("--config: the scheduler configuration decides; without TaintToleration web also fits on the memory nodes: 18 + 2 x 5 = 28", () => {
    // r6i nodes: 7910m - 2000 (redis) - 100 (kube-proxy) = 5810m free: 5 one-cpu copies each.
    const config = tmp("config.yaml", "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: default-scheduler\n    plugins:\n      multiPoint:\n        disabled: [{name: TaintToleration}]\n");
    const out = JSON.parse(capacityFiles({ cluster: [`${DIR}/cluster.yaml`], pod: `${DIR}/web-pod.yaml`, config, json: true }, []));
    expect(out.copies).toBe(28);
    expect(out.nodes.map((n: { copies: number }) => n.copies)).toEqual([6, 6, 6, 5, 5]);
    expect(out.stoppedBy.message).toBe("0/5 nodes are available: 5 Insufficient cpu.");
  });


  it("bad input: one line naming the file and the field, exit 2", () => {
    const badPod = tmp("pod.yaml", 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, resources: {requests: {cpu: lots}}}]}\n');
    const cases: [string[], RegExp][] = [
      [["--pod", badPod], /pod\.yaml: spec\.containers\[0\]\.resources\.requests\[?\.?"?cpu"?\]?: /],
      [["--pod", `${DIR}/web-pod.yaml`, "--survive", "zone"], /^--survive: goes with --workload, not --pod$/],
      [[], /^kubesim capacity: expected exactly one of --pod or --workload, got neither/],
      [["--workload", `${DIR}/checkout.yaml`], /^--workload: expected --node-type too/],
      [["--workload", `${DIR}/checkout.yaml`, "--node-type", `${DIR}/node-type.yaml`, "--survive", "region"], /^--survive: expected zone or node, got "region"$/],
      [["--workload", `${DIR}/checkout.yaml`, "--node-type", tmp("n.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n")], /n\.yaml: status\.allocatable: expected the node type's allocatable cpu and memory$/],
      [["--workload", `${DIR}/node-type.yaml`, "--node-type", `${DIR}/node-type.yaml`], /node-type\.yaml: kind: expected Deployment, StatefulSet, ReplicaSet, Pod/],
    ];
    for (const [args, message] of cases) {
      const r = kubesim(["capacity", "--cluster", `${DIR}/cluster.yaml`, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n").filter((l) => !l.includes(": ignoring "));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });
});
