/**
 * The kube-scheduler of a run, wired from the RunContext: the scheduler
 * (src/scheduler/scheduler.ts) on a snapshot of the cluster's nodes in v1 form and its
 * namespaces, one compiled pod per admitted template, the profiles of the scenario's
 * KubeSchedulerConfiguration (resolved once from the `scheduler:` section, else upstream
 * defaults). It hears of pods and nodes through the cluster state's watch events.
 *
 * With a control plane (`controlPlane` section), each binding is a real API request:
 * POST pods/binding by kube-scheduler to the API server on the host of the instance
 * that holds the scheduler lease (kubeadm's LocalAPIEndpoint), through KubeApi (inflight
 * seats, etcd write, errors). A 2xx binds the pod; anything else (no answer, 409, 429,
 * 5xx, or no lease holder) is a binding failure: the assumed pod is forgotten and
 * retried after backoff. Without a control plane a binding takes the fixed
 * `scheduler.apiWriteLatency`.
 *
 * The cluster state stays the source of truth: binding calls ClusterState.bind, preemption
 * victims end with outcome "preempted" after their grace period, pods that end leave
 * the snapshot, and each failed cycle's FailedScheduling message is recorded for the
 * pod (ClusterState.schedulingFailed, pods.csv). The node lifecycle controller's taints
 * reach the snapshot with the Node's watch event (TaintToleration filters NoSchedule and
 * NoExecute taints a pod does not tolerate); a cordoned Node (spec.unschedulable) is
 * unschedulable in the snapshot, and so is a deleted one or a machine not created yet
 * (simplification: upstream removes it; it is left out of the "0/N nodes" counts).
 */
import type { Node } from "../model/types.js";
import { LIFECYCLE_TAINTS } from "../model/nodeTable.js";
import { PodPhase } from "../model/podTable.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { buildRuntimes } from "../scheduler/config/runtime.js";
import type { CompiledPod } from "../scheduler/compiled.js";
import { Scheduler, type SchedulerBinder } from "../scheduler/scheduler.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";

import { Snapshot } from "../scheduler/snapshot.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import type { ComponentFactory } from "./context.js";
import type { ControlPlane } from "./controlPlane.js";

/** Outcome of a pod deleted by DefaultPreemption (pods.csv). */
export const OUTCOME_PREEMPTED = "preempted";

function v1Node(n: NodeSpec): Node {
  const allocatable: Record<string, string> = {
    cpu: `${n.cpuMilli}m`,
    memory: String(n.memoryBytes),
    "ephemeral-storage": String(n.ephemeralBytes),
    pods: String(n.pods),
  };
  for (const [r, v] of Object.entries(n.extended)) allocatable[r] = String(v);
  return {
    metadata: { name: n.name, labels: n.labels },
    spec: { taints: n.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) },
    status: { allocatable },
  };
}

export const kubeSchedulerComponent: ComponentFactory = ({ sim, spec, cluster, controlPlane: cp, disruptionsAllowed }) => {
  const { config } = spec.scheduler;
  const snapshot = new Snapshot();
  // PodDisruptionBudgets as DefaultPreemption reads them: status.disruptionsAllowed is live.
  snapshot.pdbs = spec.pdbs.map((p, i) => ({
    metadata: { name: p.name, namespace: p.namespace },
    spec: { selector: p.selector, minAvailable: p.minAvailable, maxUnavailable: p.maxUnavailable },
    status: {
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
      get disruptionsAllowed() {
        return disruptionsAllowed?.(i) ?? 0;
      },
    },
  }));
  for (const ns of spec.namespaces) snapshot.addNamespace(ns);
  for (const n of spec.nodes) snapshot.addNode(v1Node(n));
  // A machine provisioned later has no Node yet: like a deleted one, never a place to bind.
  spec.nodes.forEach((n, i) => {
    if (!n.provisionLater) return;
    snapshot.setUnschedulable(i, true);
    snapshot.setAbsent(i, true); // not in the FailedScheduling message's "0/N nodes"
  });
  // The pods as the API server admitted them: the same objects the cluster accounts.
  const compiled: CompiledPod[] = spec.templates.map((t) => snapshot.compile(t.pod));
  const graceUs = spec.templates.map((t) => t.pod.spec!.terminationGracePeriodSeconds! * US_PER_S);
  const runtimes = buildRuntimes(config, snapshot, { random: sim.rng.stream("scheduler.selectHost") });
  const preempted = cluster.outcomes.id(OUTCOME_PREEMPTED);

  const scheduler: Scheduler = new Scheduler(
    sim,
    snapshot,
    runtimes,
    {
      bound: (pod, node) => {
        if (cluster.nodes.exists[node] === 0) return false; // the Node was deleted since the cycle
        cluster.bind(pod, node);
        return true;
      },
      failed: (pod, message) => cluster.schedulingFailed(pod, message),
      victimDeleted: (pod) => {
        const phase = cluster.pods.phase[pod];
        if (phase === PodPhase.Scheduled || phase === PodPhase.Running) cluster.endPod(pod, preempted);
      },
    },
    {
      podInitialBackoffUs: config.podInitialBackoffSeconds * US_PER_S,
      podMaxBackoffUs: config.podMaxBackoffSeconds * US_PER_S,
      clientQPS: config.clientQPS,
      clientBurst: config.clientBurst,
      apiWriteLatencyUs: spec.scheduler.apiWriteLatencyUs,
      popFromBackoffQ: spec.scheduler.popFromBackoffQ,
      binder: cp ? apiBinder(cp, sim, () => scheduler) : undefined,
      cost: spec.scheduler.cost,
    },
  );

  // Node updates: the lifecycle taints join the node's own taints in the snapshot. A
  // taint removed can make pods schedulable (NodeUpdate moves them out of unschedulableQ).
  const specTaints = spec.nodes.map((n) => n.taints);
  const lifecycleBits = new Uint8Array(cluster.nodes.count);
  const nodeUpdated = (n: number) => {
    const bits = cluster.nodes.lifecycleTaints[n];
    if (bits !== lifecycleBits[n]) {
      const removed = (lifecycleBits[n] & ~bits) !== 0;
      lifecycleBits[n] = bits;
      snapshot.setTaints(n, [...specTaints[n], ...LIFECYCLE_TAINTS.filter((t) => (bits & t.bit) !== 0)]);
      if (removed) scheduler.nodeChanged(false);
    }
    snapshot.setAbsent(n, cluster.nodes.exists[n] === 0);
    const cordoned = cluster.nodes.exists[n] === 0 || cluster.nodes.unschedulable[n] === 1;
    if ((snapshot.nodes.unschedulable[n] === 1) !== cordoned) {
      snapshot.setUnschedulable(n, cordoned);
      if (!cordoned) scheduler.nodeChanged(false);
    }
  };
  cluster.onNodeChanged.push(nodeUpdated);
  cluster.onNodeDeleted.push(nodeUpdated);
  // status.images the kubelets post (container runtime model): ImageLocality scores what nodes hold now.
  cluster.onNodeImagesChanged.push((n) => snapshot.setNodeImages(n, cluster.nodeImages[n] ?? []));

  // The kube-scheduler's informers: new pods, deleted pods, nodes.
  // A cluster export's adopted pod (run/adoptedPods.ts) keeps its spec.nodeName: its template pinned to its node, compiled once per template and node.
  const pinned = new Map<string, CompiledPod>();
  const pinnedTo = (t: number, node: number): CompiledPod => {
    const key = `${t}/${node}`;
    let c = pinned.get(key);
    if (!c) pinned.set(key, (c = snapshot.compile({ ...spec.templates[t].pod, spec: { ...spec.templates[t].pod.spec!, nodeName: spec.nodes[node].name } })));
    return c;
  };
  cluster.onPodCreated.push((pod) => {
    const t = cluster.pods.template[pod];
    if (cluster.adoptingRunning) {
      scheduler.addBoundPod(pod, compiled[t], `${cluster.pods.namespaces[pod]}/${cluster.pods.names[pod]}`, cluster.adoptingNode, 0, graceUs[t]);
      return;
    }
    const podSpec = spec.templates[t].pod.spec!;
    scheduler.addPod(pod, cluster.adoptingNode >= 0 ? pinnedTo(t, cluster.adoptingNode) : compiled[t], `${cluster.pods.namespaces[pod]}/${cluster.pods.names[pod]}`, {
      schedulerName: podSpec.schedulerName!,
      terminationGracePeriodUs: graceUs[t],
      // SchedulingGates (PreEnqueue): nothing in a scenario removes gates, so gated pods stay Pending.
      gated: (podSpec.schedulingGates?.length ?? 0) > 0,
    });
  });
  cluster.onPendingPodDeleted.push((pod) => scheduler.deletePod(pod));
  cluster.onPodEnded.push((pod) => scheduler.deletePod(pod));

  return {
    name: "kube-scheduler",
    finish: () => {
      const s = scheduler.stats;
      return {
        summary: [
          { metric: "scheduler_attempts", value: s.attempts },
          { metric: "scheduler_unschedulable_attempts", value: s.unschedulable },
          { metric: "scheduler_preemptions", value: s.preemptions },
          { metric: "scheduler_preemption_victims", value: s.victims },
          { metric: "scheduler_busy_fraction", value: spec.durationUs > 0 ? s.busyUs / spec.durationUs : 0 },
          { metric: "scheduler_pending_at_end", value: scheduler.queue.pendingLength },
          // only where bindings are API requests (runs without a control plane keep their summary)
          ...(cp ? [{ metric: "scheduler_binding_failures", value: s.bindingFailures }] : []),
        ],
      };
    },
  };
};

/**
 * Bindings as API requests: `create pods/binding` sent by kube-scheduler to the API
 * server of the lease holder's host (ControlPlane.schedulerApiServer, as the background
 * load's bindings), token = pod row; the answer handler is registered once. No lease
 * holder: the binding fails at once (no kube-scheduler acts to send it).
 */
function apiBinder(cp: ControlPlane, sim: Simulation, scheduler: () => Scheduler): SchedulerBinder {
  const opts = { server: 0 }; // KubeApi.send copies it: one object for every binding
  const answered = sim.on("kube-scheduler.bindingAnswered", (pod, status) => {
    cp.bindingPauses.record(status, sim.now);
    scheduler().bindResult(pod, isSuccess(status));
  });
  return {
    startBind(pod) {
      const server = cp.schedulerApiServer();
      if (server < 0) {
        scheduler().bindResult(pod, false);
        return;
      }
      opts.server = server;
      cp.api.send(Verb.Create, Resource.PodBinding, pod, answered, opts);
    },
  };
}
