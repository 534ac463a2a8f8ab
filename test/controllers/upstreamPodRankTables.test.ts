/**
 * Which pods a ReplicaSet deletes first, against upstream's own tables:
 * - kubernetes/kubernetes pkg/controller/controller_utils_test.go, TestSortingActivePods and
 *   TestSortingActivePodsWithRanks as they stand after LogarithmicScaleDown went GA (1.31;
 *   read from the reference index's copy of master, whose commit it does not record);
 * - pkg/controller/replicaset/replica_set_test.go at commit
 *   003e86297d18a8538c9da3619871393f9703bf70, TestGetPodsToDelete.
 * A pair row "p1 (rank r1) is less than p2 (rank r2)" becomes compareForDeletion(p1, r1,
 * p2, r2) < 0 and the reverse > 0; an equality row becomes 0 both ways (upstream then
 * compares UIDs, kubesim pod rows). The times are upstream's offsets from `now`.
 *
 * Not carried, because kubesim's model lacks the field:
 * - the Unknown phase (kubesim's PodPhase has none): equality row unknownPhasePod, pair
 *   rows 2 and 3 (scheduledPending < unknownPhase, unknownPhase < runningNotReady), and
 *   the unknownPhase pod of TestSortingActivePods;
 * - a Ready condition without lastTransitionTime (kubesim records when every pod became
 *   ready): pair row 5 (readyNoLastTransitionTime < readyNow) and TestSortingActivePods'
 *   runningNoLastTransitionTime; rows where that pod loses on an earlier rule (4: not
 *   ready first; 6: rank first) are carried with an ordinary ready time;
 * - the pod-deletion-cost annotation (not read): pair row 13 (PodDeletionCost on); row 14
 *   (the gate off, decided by rank) is carried.
 * kubesim keeps one restart count per pod (its containers restart together); a row's
 * per-container counts become their maximum, which is what upstream compares.
 */
import { describe, expect, it } from "vitest";
import { compareForDeletion, podsToDelete } from "../../src/controllers/podsToDelete.js";
import { PodPhase, PodTable } from "../../src/model/podTable.js";
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { Simulation, US_PER_S } from "../../src/engine/simulation.js";
import { GI, node, template } from "../run/helpers.js";

const HOUR_US = 3600 * US_PER_S;
/** now.AddDate(0, -1, 0): a month back (30 days; 28 to 31 fall in the same log2 bucket). */
const MONTH_US = 30 * 24 * HOUR_US;
/** The instant of the comparisons, late enough that a month back is a positive sim time. */
const NOW_US = 2 * MONTH_US;
const now = NOW_US;
const then1Month = NOW_US - MONTH_US;
const then2Hours = NOW_US - 2 * HOUR_US;
const then5Hours = NOW_US - 5 * HOUR_US;
const then8Hours = NOW_US - 8 * HOUR_US;
/** Upstream's zero time, where the row is decided before the time is read. */
const ANY_TIME = then1Month;

const UNBOUND = -1;
const NODE = 0;

interface PodRow {
  name: string;
  node: number;
  phase: "Pending" | "Running";
  ready: boolean;
  restarts: number;
  readySinceUs: number;
  createdUs: number;
}

function addPod(t: PodTable, r: PodRow): number {
  const p = t.add(r.name, "default", 0, -1, r.createdUs);
  t.node[p] = r.node;
  t.phase[p] = r.phase === "Running" ? PodPhase.Running : r.node >= 0 ? PodPhase.Scheduled : PodPhase.Pending;
  t.ready[p] = r.ready ? 1 : 0;
  t.runningUs[p] = r.phase === "Running" ? r.readySinceUs : -1;
  t.readyUs[p] = r.phase === "Running" ? r.readySinceUs : -1;
  t.restarts[p] = r.restarts;
  return p;
}

// TestSortingActivePodsWithRanks' pods: name, node, phase, ready, restarts, ready since, created.
const pod = (name: string, nodeIdx: number, phase: PodRow["phase"], ready: boolean, restarts: number, readySinceUs: number, createdUs: number): PodRow => ({ name, node: nodeIdx, phase, ready, restarts, readySinceUs, createdUs });
const unscheduledPod = pod("unscheduled", UNBOUND, "Pending", false, 0, ANY_TIME, ANY_TIME);
const scheduledPendingPod = pod("pending", NODE, "Pending", false, 0, ANY_TIME, ANY_TIME);
const runningNotReadyPod = pod("not-ready", NODE, "Running", false, 0, ANY_TIME, ANY_TIME);
const runningReadyNoLastTransitionTimePod = pod("ready-no-last-transition-time", NODE, "Running", true, 0, ANY_TIME, ANY_TIME);
const runningReadyNow = pod("ready-now", NODE, "Running", true, 0, now, now);
const runningReadyThen = pod("ready-then", NODE, "Running", true, 0, then1Month, then1Month);
const runningReadyNowHighRestarts = pod("ready-high-restarts", NODE, "Running", true, 9001, now, now);
const runningReadyNowCreatedThen = pod("ready-now-created-then", NODE, "Running", true, 0, now, then1Month);
const highPodDeletionCost = pod("high-deletion-cost", NODE, "Running", true, 0, now, then1Month);
const lowPodDeletionCost = pod("low-deletion-cost", NODE, "Running", true, 0, now, then1Month);
const unscheduled5Hours = pod("unscheduled-5-hours", UNBOUND, "Pending", false, 0, then5Hours, then5Hours);
const unscheduled8Hours = pod("unscheduled-10-hours", UNBOUND, "Pending", false, 0, then8Hours, then8Hours);
// Upstream's "ready" pods without a node name (Running, Ready, unbound).
const ready2Hours = pod("ready-2-hours", UNBOUND, "Running", true, 0, then2Hours, then1Month);
const ready5Hours = pod("ready-5-hours", UNBOUND, "Running", true, 0, then5Hours, then1Month);
const ready10Hours = pod("ready-10-hours", UNBOUND, "Running", true, 0, then8Hours, then1Month);

describe("TestSortingActivePodsWithRanks: equality rows (rank 1 each; a pod against a copy of itself unless two are named)", () => {
  const rows: [PodRow, PodRow][] = [
    [unscheduledPod, unscheduledPod],
    [scheduledPendingPod, scheduledPendingPod],
    [runningNotReadyPod, runningNotReadyPod],
    [runningReadyNowCreatedThen, runningReadyNowCreatedThen],
    [runningReadyNow, runningReadyNow],
    [runningReadyThen, runningReadyThen],
    [runningReadyNowHighRestarts, runningReadyNowHighRestarts],
    [runningReadyNowCreatedThen, runningReadyNowCreatedThen],
    [unscheduled5Hours, unscheduled8Hours], // created 5 h and 8 h ago: one log2 bucket
    [ready5Hours, ready10Hours], // ready 5 h and 8 h: one log2 bucket
  ];
  rows.forEach(([p1, p2], i) => {
    it(`equality ${i}: ${p1.name} ~ ${p2.name}`, () => {
      const t = new PodTable();
      const a = addPod(t, p1);
      const b = addPod(t, p2);
      expect(compareForDeletion(t, a, 1, b, 1, NOW_US)).toBe(0);
      expect(compareForDeletion(t, b, 1, a, 1, NOW_US)).toBe(0);
    });
  });
});

describe("TestSortingActivePodsWithRanks: pair rows (lesser is deleted first)", () => {
  // [upstream row index, lesser, its rank, greater, its rank]
  const rows: [number, PodRow, number, PodRow, number][] = [
    [0, unscheduledPod, 1, scheduledPendingPod, 2],
    [1, unscheduledPod, 2, scheduledPendingPod, 1],
    [4, runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1],
    [6, runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1],
    [7, runningReadyNow, 1, runningReadyThen, 1],
    [8, runningReadyNow, 2, runningReadyThen, 1],
    [9, runningReadyNowHighRestarts, 1, runningReadyNow, 1],
    [10, runningReadyNow, 2, runningReadyNowHighRestarts, 1],
    [11, runningReadyNow, 1, runningReadyNowCreatedThen, 1],
    [12, runningReadyNowCreatedThen, 2, runningReadyNow, 1],
    [14, highPodDeletionCost, 2, lowPodDeletionCost, 1], // PodDeletionCost off: the rank decides
    [15, ready2Hours, 1, ready5Hours, 1],
  ];
  for (const [i, lesser, lesserRank, greater, greaterRank] of rows) {
    it(`inequality ${i}: ${lesser.name} (rank ${lesserRank}) before ${greater.name} (rank ${greaterRank})`, () => {
      const t = new PodTable();
      const a = addPod(t, lesser);
      const b = addPod(t, greater);
      expect(compareForDeletion(t, a, lesserRank, b, greaterRank, NOW_US)).toBeLessThan(0);
      expect(compareForDeletion(t, b, greaterRank, a, lesserRank, NOW_US)).toBeGreaterThan(0);
    });
  }
});

describe("TestSortingActivePods (no ranks: every pod rank 0)", () => {
  it("unscheduled, scheduled but Pending, Running not ready, ready now, ready a month, more restarts, then the oldest last", () => {
    // Container restarts {3, 0} and {2, 1} become 3 and 2. Pods with upstream's zero creation
    // time are decided before creation time is read.
    const want = [
      pod("unscheduled", UNBOUND, "Pending", false, 0, ANY_TIME, ANY_TIME),
      pod("scheduledButPending", NODE, "Pending", false, 0, ANY_TIME, ANY_TIME),
      pod("runningButNotReady", NODE, "Running", false, 0, ANY_TIME, ANY_TIME),
      pod("runningWithLastTransitionTime", NODE, "Running", true, 3, now, ANY_TIME),
      pod("runningLongerTime", NODE, "Running", true, 3, then1Month, ANY_TIME),
      pod("lowerContainerRestartCount", NODE, "Running", true, 2, then1Month, now),
      pod("oldest", NODE, "Running", true, 2, then1Month, then1Month),
    ];
    const n = want.length;
    // upstream shuffles 20 times; here every rotation of the list and its reverse
    for (let shift = 0; shift < n; shift++) {
      for (const reversed of [false, true]) {
        const order = want.map((_, k) => want[(k + shift) % n]);
        if (reversed) order.reverse();
        const t = new PodTable();
        const rows = order.map((r) => addPod(t, r));
        const sorted = [...rows].sort((a, b) => compareForDeletion(t, a, 0, b, 0, NOW_US));
        expect(sorted.map((p) => t.names[p])).toEqual(want.map((w) => w.name));
      }
    }
  });
});

describe("TestGetPodsToDelete (replica_set_test.go)", () => {
  type Kind = "unscheduledPending" | "scheduledPending" | "scheduledRunningNotReady" | "readyOnNode1" | "readyOnNode2";
  /** A fresh cluster with fake-node, fake-node-1, fake-node-2, and one new pod per kind asked. */
  function setUp() {
    const sim = new Simulation(1);
    const c = new ClusterState(sim, [node("fake-node", 8000, 8 * GI), node("fake-node-1", 8000, 8 * GI), node("fake-node-2", 8000, 8 * GI)], [template(100, 0)]);
    const kindOf = new Map<number, Kind>();
    const make = (kind: Kind): number => {
      const p = c.createPod(`${kind}-${kindOf.size}`, "default", 0, -1, -1);
      kindOf.set(p, kind);
      if (kind === "unscheduledPending") return p;
      c.bind(p, kind === "readyOnNode1" ? 1 : kind === "readyOnNode2" ? 2 : 0);
      if (kind === "scheduledPending") return p;
      c.podRunning(p);
      if (kind === "scheduledRunningNotReady") c.setPodReady(p, false);
      return p;
    };
    return { c, make, kindOf };
  }

  // [name, pods, related (undefined: the pods themselves), diff, expected]
  const rows: [string, Kind[], Kind[] | undefined, number, Kind[]][] = [
    ["len(pods) = 0 (i.e., diff = 0 too)", [], undefined, 0, []],
    ["diff = len(pods)", ["scheduledRunningNotReady", "readyOnNode1"], undefined, 2, ["scheduledRunningNotReady", "readyOnNode1"]],
    ["diff < len(pods)", ["readyOnNode1", "scheduledRunningNotReady"], undefined, 1, ["scheduledRunningNotReady"]],
    [
      "various pod phases and conditions, diff = len(pods)",
      ["readyOnNode1", "readyOnNode1", "readyOnNode2", "scheduledRunningNotReady", "scheduledPending", "unscheduledPending"],
      undefined,
      6,
      ["readyOnNode1", "readyOnNode1", "readyOnNode2", "scheduledRunningNotReady", "scheduledPending", "unscheduledPending"],
    ],
    [
      "various pod phases and conditions, diff = len(pods), relatedPods empty",
      ["readyOnNode1", "readyOnNode1", "readyOnNode2", "scheduledRunningNotReady", "scheduledPending", "unscheduledPending"],
      [],
      6,
      ["readyOnNode1", "readyOnNode1", "readyOnNode2", "scheduledRunningNotReady", "scheduledPending", "unscheduledPending"],
    ],
    ["scheduled vs unscheduled, diff < len(pods)", ["scheduledPending", "unscheduledPending"], undefined, 1, ["unscheduledPending"]],
    ["ready vs not-ready, diff < len(pods)", ["readyOnNode1", "scheduledRunningNotReady", "scheduledRunningNotReady"], undefined, 2, ["scheduledRunningNotReady", "scheduledRunningNotReady"]],
    ["ready and colocated with another ready pod vs not colocated, diff < len(pods)", ["readyOnNode1", "readyOnNode2"], ["readyOnNode2"], 1, ["readyOnNode2"]],
    ["pending vs running, diff < len(pods)", ["scheduledPending", "scheduledRunningNotReady"], undefined, 1, ["scheduledPending"]],
    [
      "various pod phases and conditions, diff < len(pods)",
      ["readyOnNode1", "readyOnNode2", "scheduledRunningNotReady", "scheduledPending", "unscheduledPending"],
      undefined,
      3,
      ["unscheduledPending", "scheduledPending", "scheduledRunningNotReady"],
    ],
  ];
  // Each row runs twice: pods created in upstream's list order and in reverse, so that no
  // expectation rests on kubesim's last tie-break (the pod row).
  for (const [name, kinds, relatedExtra, diff, expected] of rows) for (const reversed of [false, true]) {
    it(`${name}${reversed ? " (created in reverse)" : ""}`, () => {
      const { c, make, kindOf } = setUp();
      const pods = reversed ? [...kinds].reverse().map(make).reverse() : kinds.map(make);
      // Upstream's related list for the colocated row is [onNode1, onNode2, onNode2]: the
      // pods plus one more pod on fake-node-2 (another ReplicaSet's); the empty list ranks nothing.
      const related = relatedExtra === undefined ? undefined : relatedExtra.length === 0 ? [] : [...pods, ...relatedExtra.map(make)];
      const got = podsToDelete(pods, diff, c, related).map((p) => kindOf.get(p)!);
      // With diff = len(pods) upstream skips the sort and returns its input; kubesim sorts
      // anyway (all go in one sync either way): the same pods, compared without order.
      if (diff === pods.length) expect([...got].sort()).toEqual([...expected].sort());
      else expect(got).toEqual(expected);
    });
  }
});
