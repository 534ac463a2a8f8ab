/**
 * Cluster events that can make an unschedulable pod schedulable, as a bitmask.
 * A pod rejected by plugins P1..Pk is moved out of the unschedulable pool only by an
 * event that one of P1..Pk registered for (upstream EventsToRegister / queueing hints).
 * kubesim keeps the event kinds, not the per-object hint functions: a NodeUpdate
 * wakes every pod whose rejecting plugin cares about node updates (a simplification:
 * upstream QueueingHints also look at what changed in the object).
 */
export const enum ClusterEvent {
  NodeAdd = 1 << 0,
  NodeUpdate = 1 << 1,
  NodeDelete = 1 << 2,
  AssignedPodAdd = 1 << 3,
  AssignedPodUpdate = 1 << 4,
  AssignedPodDelete = 1 << 5,
  /** Namespace, Service, PVC, PV, StorageClass, ...: anything else. */
  Other = 1 << 6,
  /** The 5-minute leftover flush (not a real event; always moves the pod). */
  UnschedulableTimeout = 1 << 7,
  /** Used when the rejecting plugins are unknown: every event matters. */
  All = 0xff,
}

const NODE_ANY = ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate;
const POD_ANY = ClusterEvent.AssignedPodAdd | ClusterEvent.AssignedPodUpdate | ClusterEvent.AssignedPodDelete;

/**
 * Events each in-tree plugin registers (from each plugin's EventsToRegister, read in
 * kubernetes pkg/scheduler/framework/plugins/<plugin>). Plugins not listed (custom
 * plugins that declare nothing) are woken by every event, as upstream does for
 * plugins without EventsToRegister.
 */
export const PLUGIN_EVENTS: Readonly<Record<string, number>> = {
  NodeResourcesFit: NODE_ANY | ClusterEvent.AssignedPodDelete | ClusterEvent.AssignedPodUpdate,
  NodeResourcesBalancedAllocation: NODE_ANY | ClusterEvent.AssignedPodDelete,
  NodeAffinity: NODE_ANY,
  NodeName: ClusterEvent.NodeAdd,
  NodeUnschedulable: NODE_ANY,
  TaintToleration: NODE_ANY,
  NodePorts: ClusterEvent.NodeAdd | ClusterEvent.AssignedPodDelete,
  InterPodAffinity: NODE_ANY | POD_ANY,
  PodTopologySpread: NODE_ANY | ClusterEvent.NodeDelete | POD_ANY,
  VolumeRestrictions: ClusterEvent.AssignedPodDelete | ClusterEvent.Other,
  VolumeBinding: NODE_ANY | ClusterEvent.Other,
  VolumeZone: NODE_ANY | ClusterEvent.Other,
  NodeVolumeLimits: ClusterEvent.NodeAdd | ClusterEvent.AssignedPodDelete | ClusterEvent.Other,
  ImageLocality: 0,
};

/** The events plugin `name` registered (every event when it registered none). */
export function eventsForPlugin(name: string): number {
  return PLUGIN_EVENTS[name] ?? ClusterEvent.All;
}

/** The events that can help a pod rejected by these plugins (every event when none is known). */
export function eventsForPlugins(plugins: Iterable<string>): number {
  let mask = 0;
  let any = false;
  for (const p of plugins) {
    any = true;
    mask |= eventsForPlugin(p);
  }
  return any ? mask : ClusterEvent.All;
}
