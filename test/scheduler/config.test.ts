import { describe, expect, it } from "vitest";
import {
  catalogWith,
  defaultSchedulerConfiguration,
  parseSchedulerConfig,
  profileFor,
} from "../../src/scheduler/config/schedulerConfig.js";

const HEAD = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";
const parse = (body: string) => parseSchedulerConfig(HEAD + body, "sched.yaml");
const error = (body: string) => {
  try {
    parse(body);
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
};

describe("KubeSchedulerConfiguration defaults", () => {
  it("without a file: one default-scheduler profile with upstream plugins and weights", () => {
    const c = defaultSchedulerConfiguration();
    expect(c.profiles.map((p) => p.schedulerName)).toEqual(["default-scheduler"]);
    const p = c.profiles[0];
    expect(p.points.filter).toEqual([
      "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit",
      "VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding", "VolumeZone", "PodTopologySpread", "InterPodAffinity",
    ]);
    expect(p.points.score).toEqual([
      "TaintToleration", "NodeAffinity", "NodeResourcesFit", "VolumeBinding", "PodTopologySpread", "InterPodAffinity",
      "NodeResourcesBalancedAllocation", "ImageLocality",
    ]);
    expect(p.weights).toEqual({
      TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, VolumeBinding: 1, PodTopologySpread: 2,
      InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1,
    });
    expect(p.points.queueSort).toEqual(["PrioritySort"]);
    expect(p.points.postFilter).toEqual(["DefaultPreemption"]);
    expect(p.points.bind).toEqual(["DefaultBinder"]);
    expect(p.args.NodeResourcesFit).toEqual({
      ignoredResources: [], ignoredResourceGroups: [],
      scoringStrategy: { type: "LeastAllocated", resources: [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }] },
    });
    expect(p.args.DefaultPreemption).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(c.podInitialBackoffSeconds).toBe(1);
    expect(c.podMaxBackoffSeconds).toBe(10);
    expect(c.percentageOfNodesToScore).toBe(0);
    expect([c.clientQPS, c.clientBurst]).toEqual([50, 100]);
  });
});

describe("KubeSchedulerConfiguration profiles", () => {
  const cfg = parse(`
percentageOfNodesToScore: 30
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing
  percentageOfNodesToScore: 100
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
      enabled:
      - name: NodeResourcesFit
        weight: 5
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{name: cpu, weight: 2}, {name: memory, weight: 1}]
- schedulerName: no-scoring
  plugins:
    multiPoint:
      disabled: [{name: ImageLocality}]
    score:
      disabled: [{name: "*"}]
- schedulerName: rtcr
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        requestedToCapacityRatio:
          shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]
`);

  it("selects profiles by schedulerName", () => {
    expect(profileFor(cfg, undefined)?.schedulerName).toBe("default-scheduler");
    expect(profileFor(cfg, "bin-packing")?.schedulerName).toBe("bin-packing");
    expect(profileFor(cfg, "other")).toBeUndefined();
  });

  it("global and per-profile settings; the profile percentage wins", () => {
    expect(cfg.percentageOfNodesToScore).toBe(30);
    expect(cfg.profiles[0].percentageOfNodesToScore).toBeUndefined();
    expect(cfg.profiles[1].percentageOfNodesToScore).toBe(100);
    expect([cfg.podInitialBackoffSeconds, cfg.podMaxBackoffSeconds]).toEqual([2, 20]);
  });

  it("a plugin enabled at score with a weight goes first there and takes that weight; disabled ones are gone", () => {
    const p = cfg.profiles[1];
    expect(p.points.score[0]).toBe("NodeResourcesFit");
    expect(p.points.score).not.toContain("NodeResourcesBalancedAllocation");
    expect(p.weights.NodeResourcesFit).toBe(5);
    expect(p.weights.TaintToleration).toBe(3);
    // Disabled at score only: BalancedAllocation still runs nowhere else (it only scores),
    // Fit still filters.
    expect(p.points.filter).toContain("NodeResourcesFit");
    expect(p.disabledPoints?.NodeResourcesBalancedAllocation).toEqual(["score"]);
    expect((p.args.NodeResourcesFit as { scoringStrategy: { type: string } }).scoringStrategy.type).toBe("MostAllocated");
  });

  it("score disabled with '*' leaves no score plugin; multiPoint disable removes a plugin everywhere", () => {
    const p = cfg.profiles[2];
    expect(p.points.score).toEqual([]);
    expect(p.points.filter).toContain("NodeResourcesFit");
    expect(p.plugins.map((x) => x.name)).not.toContain("ImageLocality");
  });

  it("RequestedToCapacityRatio shape is kept; resources default to cpu and memory weight 1", () => {
    const a = cfg.profiles[3].args.NodeResourcesFit as { scoringStrategy: { resources: unknown; requestedToCapacityRatio: unknown } };
    expect(a.scoringStrategy.requestedToCapacityRatio).toEqual({ shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] });
    expect(a.scoringStrategy.resources).toEqual([{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }]);
  });

  it("pluginConfig args of the other plugins", () => {
    const c = parse(`
profiles:
- pluginConfig:
  - name: InterPodAffinity
    args: {hardPodAffinityWeight: 7}
  - name: PodTopologySpread
    args:
      defaultingType: List
      defaultConstraints: [{maxSkew: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [batch]}]}]
  - name: DefaultPreemption
    args: {minCandidateNodesPercentage: 20, minCandidateNodesAbsolute: 5}
`);
    const a = c.profiles[0].args;
    expect(a.InterPodAffinity).toEqual({ hardPodAffinityWeight: 7, ignorePreferredTermsOfExistingPods: false });
    expect(a.PodTopologySpread).toEqual({
      defaultingType: "List",
      defaultConstraints: [{ maxSkew: 2, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
    });
    expect((a.NodeAffinity as { addedAffinity: unknown }).addedAffinity).toBeDefined();
    expect(a.DefaultPreemption).toEqual({ minCandidateNodesPercentage: 20, minCandidateNodesAbsolute: 5 });
  });

  it("a custom plugin from the catalog can be enabled at filter and score", () => {
    const catalog = catalogWith(new Map([["GpuPacking", ["filter", "score"] as const]]));
    const c = parseSchedulerConfig(
      HEAD + "profiles:\n- plugins:\n    multiPoint:\n      enabled: [{name: GpuPacking, weight: 4}]\n",
      "sched.yaml",
      catalog,
    );
    expect(c.profiles[0].points.filter.at(-1)).toBe("GpuPacking");
    expect(c.profiles[0].weights.GpuPacking).toBe(4);
  });
});

describe("KubeSchedulerConfiguration validation: one line naming file and field", () => {
  const cases: Array<[string, string]> = [
    [
      "profiles:\n- plugins:\n    score:\n      enabled:\n      - name: NodeAffinity\n        weight: 2\n      - name: NodeResourcesFit\n        weight: 0\n",
      "sched.yaml: profiles[0].plugins.score.enabled[1].weight: expected an integer 1..100, got 0",
    ],
    ["percentageOfNodesToScore: 101\n", "sched.yaml: percentageOfNodesToScore: expected an integer 0..100, got 101"],
    ["profiles:\n- percentageOfNodesToScore: -1\n", "sched.yaml: profiles[0].percentageOfNodesToScore: expected an integer 0..100, got -1"],
    ["podInitialBackoffSeconds: 0\n", "sched.yaml: podInitialBackoffSeconds: expected a positive integer, got 0"],
    ["podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n", "sched.yaml: podMaxBackoffSeconds: expected a value >= podInitialBackoffSeconds (5), got 2"],
    ["profiles:\n- schedulerName: a\n- schedulerName: a\n", 'sched.yaml: profiles[1].schedulerName: expected a schedulerName not used by another profile, got "a"'],
    ["profiles:\n- plugins:\n    filter:\n      enabled: [{name: NodeResourcesFitt}]\n", 'sched.yaml: profiles[0].plugins.filter.enabled[0].name: expected a registered plugin (in-tree or loaded with --plugin / scheduler.customPlugins), got "NodeResourcesFitt"'],
    ["profiles:\n- plugins:\n    filter:\n      enabled: [{name: ImageLocality}]\n", "sched.yaml: profiles[0].plugins.filter.enabled[0].name: expected a plugin that implements filter (ImageLocality implements score)"],
    [
      "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        type: MostAllocated\n        resources: [{name: cpu, weight: 101}]\n",
      "sched.yaml: profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: expected an integer 1..100, got 101",
    ],
    [
      "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        type: RequestedToCapacityRatio\n        requestedToCapacityRatio:\n          shape: [{utilization: 50, score: 5}, {utilization: 40, score: 10}]\n",
      "sched.yaml: profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization: expected utilization values in increasing order (after 50), got 40",
    ],
    [
      "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        type: RequestedToCapacityRatio\n        requestedToCapacityRatio:\n          shape: [{utilization: 50, score: 11}]\n",
      "sched.yaml: profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[0].score: expected an integer 0..10, got 11",
    ],
    ["profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy: {type: Spread}\n", 'sched.yaml: profiles[0].pluginConfig[0].args.scoringStrategy.type: expected one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, got "Spread"'],
    ["profiles:\n- pluginConfig:\n  - name: InterPodAffinity\n    args: {hardPodAffinityWeight: 101}\n", "sched.yaml: profiles[0].pluginConfig[0].args.hardPodAffinityWeight: expected an integer 0..100, got 101"],
    [
      "profiles:\n- pluginConfig:\n  - name: PodTopologySpread\n    args:\n      defaultingType: System\n      defaultConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]\n",
      "sched.yaml: profiles[0].pluginConfig[0].args.defaultConstraints: expected no defaultConstraints when defaultingType is System",
    ],
    ["profiles:\n- pluginConfig:\n  - name: DefaultPreemption\n    args: {minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0}\n", "sched.yaml: profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: expected minCandidateNodesPercentage and minCandidateNodesAbsolute not both 0"],
    ["profiles:\n- pluginConfig:\n  - name: DefaultPreemption\n    args: {minCandidateNodesPercentage: 120}\n", "sched.yaml: profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: expected an integer 0..100, got 120"],
    ["profiles:\n- plugins:\n    multiPoint:\n      disabled: [{name: '*'}]\n", "sched.yaml: profiles[0].plugins.queueSort: expected exactly one queueSort plugin, got 0"],
    ["profile:\n- schedulerName: x\n", "sched.yaml: profile: unknown field (known: apiVersion, kind, parallelism, leaderElection, clientConnection, healthzBindAddress, metricsBindAddress, enableProfiling, enableContentionProfiling, percentageOfNodesToScore, podInitialBackoffSeconds, podMaxBackoffSeconds, profiles, extenders, delayCacheUntilActive)"],
  ];
  it.each(cases)("%#", (body, message) => {
    expect(error(body)).toBe(message);
  });

  it("wrong apiVersion", () => {
    expect(() => parseSchedulerConfig("apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n", "s.yaml")).toThrow(
      's.yaml: apiVersion: expected kubescheduler.config.k8s.io/v1, got "kubescheduler.config.k8s.io/v1beta3"',
    );
  });
  it("not YAML", () => {
    expect(() => parseSchedulerConfig("a: [", "s.yaml")).toThrow(/^s\.yaml: not valid YAML or JSON/);
  });
});
