/**
 * Plugs the control plane into the cluster run: built from the scenario's
 * `controlPlane` section, sampled every sampleInterval, its tables and summary rows
 * added to the run's output, its events written to events.csv. A section with an
 * `experiment` runs that experiment instead (see controlPlaneExperiment.ts).
 */
import type { Cluster } from "../apiserver/clusterState.js";
import type { ComponentFactory } from "./components.js";
import { ControlPlane } from "./controlPlane.js";
import type { ControlPlaneSpec } from "./controlPlaneSpec.js";
import { raftElectionComponent } from "../experiments/raftElectionRun.js";

const controlPlanes = new WeakMap<Cluster, ControlPlane>();

/**
 * The control plane of a run, for other components: e.g. the kube-scheduler component
 * sends its bindings through `api` to `schedulerApiServer()` (the lease holder's API
 * server; -1 while no kube-scheduler holds its lease), and controllers can watch
 * `onLeadershipChange` to stop and resume.
 */
export function controlPlaneOf(cluster: Cluster): ControlPlane | undefined {
  return controlPlanes.get(cluster);
}

export const controlPlaneComponent: ComponentFactory = (cluster) => {
  const spec = cluster.spec.sections.controlPlane as ControlPlaneSpec | undefined;
  if (!spec) return undefined;
  if (spec.experiment) return raftElectionComponent(cluster, spec.experiment);
  const sim = cluster.sim;
  const cp = new ControlPlane(sim, spec, cluster.nodes.count);
  controlPlanes.set(cluster, cp);
  cp.metrics.eventSink = (t, kind, object, message) => cluster.events.add(t, kind, object, message);
  const interval = cluster.spec.sampleIntervalUs;
  const sampleId = sim.on("controlplane.sample", () => {
    cp.sampler.sample(sim.now);
    if (sim.now + interval <= cluster.spec.durationUs) sim.schedule(interval, sampleId);
  });
  return {
    name: "control-plane",
    start() {
      cp.start();
      sim.schedule(interval, sampleId);
    },
    finish() {
      return cp.finish(sim.now);
    },
  };
};
