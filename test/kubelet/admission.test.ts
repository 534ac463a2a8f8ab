/** The kubelet's admission checks and their upstream reasons (predicateAdmitHandler). */
import { describe, expect, it } from "vitest";
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { Simulation } from "../../src/engine/simulation.js";
import { KubeletAdmission } from "../../src/kubelet/admission.js";
import { LifecycleTaint } from "../../src/model/nodeTable.js";
import { podTemplate } from "../../src/model/podTemplate.js";
import { GI, node, template } from "../run/helpers.js";

describe("kubelet admission", () => {
  const bare = podTemplate({ metadata: { namespace: "default" }, spec: { containers: [{ name: "c" }] } }); // not admitted: no default tolerations
  const nodes = [node("n0", 2000, 4 * GI), node("n1", 2000, 4 * GI, { taints: [{ key: "dedicated", value: "db", effect: "NoExecute" }] })];

  it("admits a pod that fits and tolerates the node's NoExecute taints", () => {
    const c = new ClusterState(new Simulation(1), nodes, [template(500, GI), bare]);
    const a = new KubeletAdmission(c, [template(500, GI), bare], nodes);
    const p = c.createPod("p", "default", 0, -1, -1);
    c.bind(p, 0);
    expect(a.admit(p, 0)).toBe("");
    // The default tolerations (DefaultTolerationSeconds) tolerate the lifecycle NoExecute taints.
    c.setNodeTaints(0, LifecycleTaint.UnreachableNoExecute | LifecycleTaint.UnreachableNoSchedule);
    expect(a.admit(p, 0)).toBe("");
  });

  it("rejects with TaintToleration a pod that does not tolerate a NoExecute taint (lifecycle or the node's own)", () => {
    const templates = [template(500, GI), bare];
    const c = new ClusterState(new Simulation(1), nodes, templates);
    const a = new KubeletAdmission(c, templates, nodes);
    const p = c.createPod("p", "default", 1, -1, -1);
    c.bind(p, 0);
    expect(a.admit(p, 0)).toBe("");
    c.setNodeTaints(0, LifecycleTaint.NotReadyNoExecute);
    expect(a.admit(p, 0)).toBe("TaintToleration");
    const q = c.createPod("q", "default", 0, -1, -1);
    c.bind(q, 1);
    expect(a.admit(q, 1)).toBe("TaintToleration");
  });

  it("rejects with OutOf<resource> when the node's accounted requests exceed allocatable (first reason only)", () => {
    const templates = [template(500, GI)];
    const c = new ClusterState(new Simulation(1), nodes, templates);
    const a = new KubeletAdmission(c, templates, nodes);
    const p = c.createPod("p", "default", 0, -1, -1);
    c.bind(p, 0);
    c.nodes.cpuAlloc[0] = 400; // the node's allocatable shrank under the pod
    c.nodes.memAlloc[0] = GI / 2;
    expect(a.admit(p, 0)).toBe("OutOfcpu");
    c.nodes.cpuAlloc[0] = 2000;
    expect(a.admit(p, 0)).toBe("OutOfmemory");
    c.nodes.memAlloc[0] = 4 * GI;
    c.nodes.podsAlloc[0] = 0;
    expect(a.admit(p, 0)).toBe("OutOfpods");
  });
});
