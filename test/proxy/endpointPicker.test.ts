/**
 * Endpoint choice per proxy mode:
 * - iptables and nftables: uniform (1/n each). Checked with Pearson's chi-square over
 *   100,000 draws among 10 endpoints with a fixed seed: 9 degrees of freedom, and the
 *   statistic must stay below 27.877, the chi-square table's critical value for
 *   alpha = 0.001 (so a correct uniform picker fails this with probability 0.1% for a
 *   random seed; with the fixed seed the outcome is fixed). The test has power: moving 5%
 *   of the draws to one endpoint adds about 5000^2/10000 = 2500 to the statistic.
 * - ipvs rr: exact cycling per node, each node with its own position.
 * - ipvs lc: the endpoint with the fewest active connections from this node, the first on ties.
 */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/random.js";
import { EndpointPicker } from "../../src/proxy/endpointPicker.js";

/** Chi-square table, alpha 0.001, 9 degrees of freedom. */
const CHI2_CRITICAL_DF9_ALPHA_0_001 = 27.877;

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
}

describe("iptables and nftables pick uniformly", () => {
  for (const mode of ["iptables", "nftables"] as const) {
    it(`${mode}: chi-square of 100,000 draws over 10 endpoints is below the alpha 0.001 critical value`, () => {
      const streams = new RandomStreams(42);
      const picker = new EndpointPicker(mode, "rr", 3, 1, [streams.stream("proxy.shop/web")]);
      const endpoints = Int32Array.from({ length: 10 }, (_, i) => 100 + i);
      const counts = new Array(10).fill(0);
      const draws = 100_000;
      for (let k = 0; k < draws; k++) counts[picker.pick(k % 3, 0, endpoints) - 100]++;
      expect(chiSquare(counts, draws / 10)).toBeLessThan(CHI2_CRITICAL_DF9_ALPHA_0_001);
      // Power: the same counts with 5% of the draws moved to endpoint 0 would fail.
      const biased = counts.map((c, i) => (i === 0 ? c + draws * 0.05 : c - (draws * 0.05) / 9));
      expect(chiSquare(biased, draws / 10)).toBeGreaterThan(CHI2_CRITICAL_DF9_ALPHA_0_001);
    });
  }
});

describe("ipvs round robin", () => {
  it("each node cycles through the endpoints in order, with its own position", () => {
    const picker = new EndpointPicker("ipvs", "rr", 2, 2, []);
    const eps = Int32Array.of(7, 8, 9);
    const seq = (node: number, svc: number, n: number) => Array.from({ length: n }, () => picker.pick(node, svc, eps));
    expect(seq(0, 0, 4)).toEqual([7, 8, 9, 7]);
    expect(seq(1, 0, 2)).toEqual([7, 8]);
    expect(seq(0, 1, 1)).toEqual([7]);
    expect(seq(0, 0, 3)).toEqual([8, 9, 7]);
  });
});

describe("ipvs least connection", () => {
  it("picks the endpoint with the fewest active connections from this node, the first on ties", () => {
    const picker = new EndpointPicker("ipvs", "lc", 2, 1, []);
    const eps = Int32Array.of(7, 8, 9);
    const open = (node: number) => {
      const p = picker.pick(node, 0, eps);
      picker.connection(node, p, 1);
      return p;
    };
    expect([open(0), open(0), open(0), open(0)]).toEqual([7, 8, 9, 7]);
    picker.connection(0, 8, -1); // 8 now has 0 from node 0
    expect(open(0)).toBe(8);
    // Node 1 counts only its own connections: all at 0, the first wins.
    expect(open(1)).toBe(7);
    // 7:2, 8:1, 9:1 from node 0 -> 8 (first of the least loaded)
    expect(open(0)).toBe(8);
  });
});
