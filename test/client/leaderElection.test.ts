import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { US_PER_S } from "../../src/engine/simulation.js";
import { LEASE_DURATION_US, LeaderElection, RENEW_DEADLINE_US, RETRY_PERIOD_US, JITTER_FACTOR } from "../../src/client/leaderElection.js";
import { fakeControlPlane } from "../controlplane/harness.js";

const LEASE_KEY = 1;

function electionOn(servers: number, seed: number) {
  const cp = fakeControlPlane(servers, seed);
  const le = new LeaderElection(cp.sim, cp.api, "kube-scheduler", LEASE_KEY, servers);
  le.hostUp = (c) => cp.hosts.up[cp.topology.apiserverHosts[c]] === 1;
  for (let c = 0; c < servers; c++) le.start(c);
  const crashHost = (c: number) => {
    cp.hosts.up[cp.topology.apiserverHosts[c]] = 0;
    cp.api.serverDied(c);
    le.stop(c);
  };
  const recoverHost = (c: number) => {
    cp.hosts.up[cp.topology.apiserverHosts[c]] = 1;
    le.start(c);
  };
  return { ...cp, le, crashHost, recoverHost };
}

/** True when no two leadership intervals overlap (at most one acting leader at any time). */
function noOverlap(history: { startUs: number; endUs: number }[], end: number): boolean {
  const iv = history.map((h) => [h.startUs, h.endUs < 0 ? end : h.endUs]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < iv.length; i++) if (iv[i][0] < iv[i - 1][1]) return false;
  return true;
}

describe("Lease-based leader election (client-go defaults 15 s / 10 s / 2 s, jitter 1.2)", () => {
  it("one of three candidates acquires the lease at start, and keeps it", () => {
    const e = electionOn(3, 1);
    e.sim.run(60 * US_PER_S);
    expect(e.le.history).toHaveLength(1);
    expect(e.le.history[0].startUs).toBeLessThan(1 * US_PER_S);
    expect(e.le.leader()).toBe(e.le.history[0].candidate);
    expect(e.api.object(LEASE_KEY)!.a).toBe(e.le.leader() + 1);
  });

  it("a crash of the leader's host moves the lease after about LeaseDuration (+ retry jitter)", () => {
    // Bounds, derived from client-go: the last renewal happened at most RetryPeriod before the
    // crash; a standby notices it at its next poll (<= RetryPeriod x (1 + 1.2) later) and may
    // take over LeaseDuration after noticing, at its next poll. (Candidates talk to the API
    // server on their own host, so the dead host's API server never delays them.)
    const lower = LEASE_DURATION_US - RETRY_PERIOD_US;
    const maxPoll = RETRY_PERIOD_US * (1 + JITTER_FACTOR);
    const upper = LEASE_DURATION_US + 2 * maxPoll + 100_000; // + request latencies
    const gaps: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const e = electionOn(3, seed);
      // crash at a random phase of the leader's 2 s renew cycle
      e.sim.run(30 * US_PER_S + e.sim.rng.stream("test.crashPhase").int(RETRY_PERIOD_US));
      const old = e.le.leader();
      const crashAt = e.sim.now;
      e.crashHost(old);
      e.sim.run(90 * US_PER_S);
      const next = e.le.history.find((h) => h.startUs > crashAt)!;
      expect(next.candidate).not.toBe(old);
      const gap = next.startUs - crashAt;
      expect(gap).toBeGreaterThanOrEqual(lower);
      expect(gap).toBeLessThanOrEqual(upper);
      gaps.push(gap);
    }
    gaps.sort((a, b) => a - b);
    const median = gaps[15];
    // Expected about 15 s - 1 s (mean age of the last renewal at the crash) + ~1.7 s twice
    // (mean residual of a 2-4.4 s poll interval, to notice and then to take over) = ~17.3 s.
    expect(median).toBeGreaterThan(LEASE_DURATION_US);
    expect(median).toBeLessThan(LEASE_DURATION_US + maxPoll);
  });

  it("an etcd without quorum makes the holder give up after the renew deadline, and nobody leads", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const e = electionOn(3, seed);
      e.sim.run(40 * US_PER_S);
      const old = e.le.leader();
      const lossAt = e.sim.now;
      e.etcd.quorum = false;
      e.sim.run(120 * US_PER_S);
      const h = e.le.history.find((x) => x.candidate === old && x.startUs < lossAt)!;
      const heldFor = h.endUs - lossAt;
      // the first renew cycle that cannot succeed starts within one RetryPeriod after the
      // loss; it gives up RenewDeadline later
      expect(heldFor).toBeGreaterThanOrEqual(RENEW_DEADLINE_US - 10_000);
      expect(heldFor).toBeLessThanOrEqual(RENEW_DEADLINE_US + RETRY_PERIOD_US + 10_000);
      expect(e.le.history.filter((x) => x.startUs > lossAt)).toHaveLength(0);
      expect(e.le.leader()).toBe(-1);
      // quorum back: someone leads again within a lease duration and a few retries
      const back = e.sim.now;
      e.etcd.quorum = true;
      e.sim.run(back + 60 * US_PER_S);
      const again = e.le.history.find((x) => x.startUs > back);
      expect(again).toBeDefined();
      expect(again!.startUs - back).toBeLessThan(LEASE_DURATION_US + 3 * RETRY_PERIOD_US * (1 + JITTER_FACTOR));
    }
  });

  it("no two candidates ever act at once, under random host crashes, recoveries and quorum losses", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.record({ at_s: fc.integer({ min: 1, max: 170 }), what: fc.integer({ min: 0, max: 4 }), who: fc.integer({ min: 0, max: 2 }) }), { maxLength: 12 }),
        (seed, faults) => {
          const e = electionOn(3, seed);
          const h = e.sim.on("test.fault", (what, who) => {
            if (what === 0) e.crashHost(who);
            else if (what === 1) e.recoverHost(who);
            else if (what === 2) e.etcd.quorum = false;
            else e.etcd.quorum = true;
          });
          for (const f of faults) e.sim.scheduleAt(f.at_s * US_PER_S, h, f.what, f.who);
          e.sim.run(180 * US_PER_S);
          expect(noOverlap(e.le.history, e.sim.now)).toBe(true);
          // a leader always runs on a live host
          const l = e.le.leader();
          if (l >= 0) expect(e.hosts.up[e.topology.apiserverHosts[l]]).toBe(1);
        },
      ),
      { numRuns: 40 },
    );
  });
});
