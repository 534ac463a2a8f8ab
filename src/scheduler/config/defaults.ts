/**
 * Upstream defaults of KubeSchedulerConfiguration v1
 * (kubernetes pkg/scheduler/apis/config/v1/defaults.go, default_plugins.go) and the
 * extension points each in-tree plugin implements.
 */

export const API_VERSION = "kubescheduler.config.k8s.io/v1";
export const KIND = "KubeSchedulerConfiguration";
/** percentageOfNodesToScore default: 0 = adaptive (50 - n/125, at least 5). */
export const DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 0;
/** podInitialBackoffSeconds default. */
export const DEFAULT_POD_INITIAL_BACKOFF_SECONDS = 1;
/** podMaxBackoffSeconds default. */
export const DEFAULT_POD_MAX_BACKOFF_SECONDS = 10;
/** parallelism default (goroutines for filter/score; kubesim's cost model reads it). */
export const DEFAULT_PARALLELISM = 16;
/** clientConnection.qps / burst defaults of kube-scheduler (defaults.go, component-base). */
export const DEFAULT_CLIENT_QPS = 50;
export const DEFAULT_CLIENT_BURST = 100;

export const EXTENSION_POINTS = [
  "preEnqueue",
  "queueSort",
  "preFilter",
  "filter",
  "postFilter",
  "preScore",
  "score",
  "reserve",
  "permit",
  "preBind",
  "bind",
  "postBind",
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/**
 * The default profile's MultiPoint list with Score weights (default_plugins.go, v1.33+
 * without DRA): the one list both KubeSchedulerConfiguration defaulting
 * (schedulerConfig.ts) and the registry's default profile (registry.ts) read.
 */
export const DEFAULT_MULTIPOINT: ReadonlyArray<{ name: string; weight?: number }> = [
  { name: "SchedulingGates" },
  { name: "PrioritySort" },
  { name: "NodeUnschedulable" },
  { name: "NodeName" },
  { name: "TaintToleration", weight: 3 },
  { name: "NodeAffinity", weight: 2 },
  { name: "NodePorts" },
  { name: "NodeResourcesFit", weight: 1 },
  { name: "VolumeRestrictions" },
  { name: "NodeVolumeLimits" },
  { name: "VolumeBinding" },
  { name: "VolumeZone" },
  { name: "PodTopologySpread", weight: 2 },
  { name: "InterPodAffinity", weight: 2 },
  { name: "DefaultPreemption" },
  { name: "NodeResourcesBalancedAllocation", weight: 1 },
  { name: "ImageLocality", weight: 1 },
  { name: "DefaultBinder" },
];

/**
 * In-tree plugins kubesim does not model (no PV/PVC/CSI/DRA objects; SchedulingGates
 * is the queue's PreEnqueue): dropped from profiles, the default one included.
 */
export const UNMODELLED_PLUGINS: ReadonlySet<string> = new Set(["SchedulingGates", "VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding", "VolumeZone", "DynamicResources"]);

/** Extension points implemented by each in-tree plugin (their Go interfaces). */
export const IN_TREE_POINTS: Readonly<Record<string, readonly ExtensionPoint[]>> = {
  SchedulingGates: ["preEnqueue"],
  PrioritySort: ["queueSort"],
  NodeUnschedulable: ["filter"],
  NodeName: ["filter"],
  TaintToleration: ["filter", "preScore", "score"],
  NodeAffinity: ["preFilter", "filter", "preScore", "score"],
  NodePorts: ["preFilter", "filter"],
  NodeResourcesFit: ["preFilter", "filter", "preScore", "score"],
  VolumeRestrictions: ["preFilter", "filter"],
  NodeVolumeLimits: ["preFilter", "filter"],
  VolumeBinding: ["preFilter", "filter", "reserve", "preBind", "score"],
  VolumeZone: ["preFilter", "filter"],
  PodTopologySpread: ["preFilter", "filter", "preScore", "score"],
  InterPodAffinity: ["preFilter", "filter", "preScore", "score"],
  DefaultPreemption: ["postFilter"],
  NodeResourcesBalancedAllocation: ["preScore", "score"],
  ImageLocality: ["score"],
  DefaultBinder: ["bind"],
};
