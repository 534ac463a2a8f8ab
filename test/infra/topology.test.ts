import { describe, expect, it } from "vitest";
import { buildTopology } from "../../src/infra/topology.js";
import { csvText, runControlPlane } from "../controlplane/runControlPlane.js";

const zones = ["zone-a", "zone-b", "zone-c"];

describe("control-plane topologies", () => {
  it("single-node: one host runs the API server, the etcd member and workloads", () => {
    const t = buildTopology({ kind: "single-node", controlPlaneHosts: 3, etcdHosts: 3, zones, regions: [] });
    expect(t.hosts).toEqual([{ name: "node-0", zone: "zone-a", region: "region-1", controlPlane: true, etcd: true, worker: true }]);
    expect(t.apiserverHosts).toEqual([0]);
    expect(t.etcdHosts).toEqual([0]);
    expect(t.etcdEndpoints).toEqual([[0]]);
  });

  it("single control plane: one control-plane host with its etcd member, no worker role", () => {
    const t = buildTopology({ kind: "single-control-plane", controlPlaneHosts: 3, etcdHosts: 3, zones, regions: [] });
    expect(t.hosts.map((h) => [h.name, h.controlPlane, h.etcd, h.worker])).toEqual([["control-plane-0", true, true, false]]);
  });

  it("stacked 3: a member per control-plane host, each API server talks to its local member only", () => {
    const t = buildTopology({ kind: "stacked", controlPlaneHosts: 3, etcdHosts: 99, zones, regions: [] });
    expect(t.hosts.map((h) => h.name)).toEqual(["control-plane-0", "control-plane-1", "control-plane-2"]);
    expect(t.hosts.map((h) => h.zone)).toEqual(zones);
    expect(t.apiserverHosts).toEqual([0, 1, 2]);
    expect(t.etcdHosts).toEqual([0, 1, 2]);
    expect(t.etcdEndpoints).toEqual([[0], [1], [2]]);
  });

  it("stacked 5 over 3 zones: round robin placement", () => {
    const t = buildTopology({ kind: "stacked", controlPlaneHosts: 5, etcdHosts: 0, zones, regions: [] });
    expect(t.hosts.map((h) => h.zone)).toEqual(["zone-a", "zone-b", "zone-c", "zone-a", "zone-b"]);
  });

  it("external etcd 3+3: separate etcd hosts, every API server lists every member, starting at a different one", () => {
    const t = buildTopology({ kind: "external-etcd", controlPlaneHosts: 3, etcdHosts: 3, zones, regions: ["us-east", "us-east", "us-west"] });
    expect(t.hosts.map((h) => h.name)).toEqual(["control-plane-0", "control-plane-1", "control-plane-2", "etcd-0", "etcd-1", "etcd-2"]);
    expect(t.hosts.filter((h) => h.etcd).every((h) => !h.controlPlane)).toBe(true);
    expect(t.hosts.map((h) => h.region)).toEqual(["us-east", "us-east", "us-west", "us-east", "us-east", "us-west"]);
    expect(t.apiserverHosts).toEqual([0, 1, 2]);
    expect(t.etcdHosts).toEqual([3, 4, 5]);
    expect(t.etcdEndpoints).toEqual([[0, 1, 2], [1, 2, 0], [2, 0, 1]]);
  });

  it("the built control plane puts members on the right hosts and classes links by zone and region", () => {
    const r = runControlPlane({ topology: "external-etcd", controlPlaneHosts: 3, etcdHosts: 3, zones, regions: ["r1", "r1", "r2"] }, { durationSeconds: 1 });
    const { etcd, network } = r.cp;
    expect(etcd.size).toBe(3);
    expect([0, 1, 2].map((m) => etcd.memberHost(m))).toEqual([3, 4, 5]);
    expect([0, 1, 2].map((m) => etcd.memberName(m))).toEqual(["etcd-0", "etcd-1", "etcd-2"]);
    // link classes: 0 same host, 1 same zone, 2 cross zone, 3 cross region
    expect(network.linkClass(0, 3)).toBe(1); // control-plane-0 and etcd-0 are both in zone-a
    expect(network.linkClass(0, 4)).toBe(2);
    expect(network.linkClass(0, 5)).toBe(3);
  });

  it("same seed, same output; another seed, other output", () => {
    const section = { topology: "stacked", faults: [{ type: "host-loss", at: "20s", host: "control-plane-0" }] };
    const a = runControlPlane(section, { seed: 7, durationSeconds: 40 });
    const b = runControlPlane(section, { seed: 7, durationSeconds: 40 });
    const c = runControlPlane(section, { seed: 8, durationSeconds: 40 });
    const text = (r: typeof a) => r.out.tables.map(csvText).join("\n---\n");
    expect(text(a)).toBe(text(b));
    expect(text(a)).not.toBe(text(c));
  });
});
