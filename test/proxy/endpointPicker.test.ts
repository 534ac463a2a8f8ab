/**
 * Endpoint choice per proxy mode:
 * - iptables and nftables: uniform (1/n each). Checked with Pearson's chi-square over
 *   100,000 draws among 10 endpoints with a fixed seed: 9 degrees of freedom, and the
 *   statistic must stay below 27.877, the chi-square table's critical value for
 *   alpha = 0.001 (so a correct uniform picker fails this with probability 0.1% for a
 *   random seed; with the fixed seed the outcome is fixed). The test has power: moving 5%
 *   of the draws to one endpoint adds about 5000^2/10000 = 2500 to the statistic.
 * - ipvs rr: exact cycling per node, each node with its own position.
 * - ipvs lc: the lowest activeconns x 256 + inactconns from this node (ip_vs_lc.c), the first on ties.
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
  it("picks the lowest activeconns x 256 + inactconns from this node, the first on ties", () => {
    const picker = new EndpointPicker("ipvs", "lc", 2, 1, []);
    const eps = Int32Array.of(7, 8, 9);
    const open = (node: number) => {
      const p = picker.pick(node, 0, eps);
      picker.connection(node, p, 1);
      return p;
    };
    // 0,0,0 -> 7; 256,0,0 -> 8; -> 9; 256,256,256 -> 7 (first)
    expect([open(0), open(0), open(0), open(0)]).toEqual([7, 8, 9, 7]);
    picker.connection(0, 8, -1); // 8: no active, one inactive = 1
    expect(open(0)).toBe(8); // 512, 1, 256
    // Node 1 counts only its own connections: all at 0, the first wins.
    expect(open(1)).toBe(7);
    // node 0 now 7: 512, 8: 257, 9: 256 -> 9
    expect(open(0)).toBe(9);
  });

  it("a closed connection weighs 1 until it expires, so idle endpoints come first", () => {
    const picker = new EndpointPicker("ipvs", "lc", 1, 1, []);
    const eps = Int32Array.of(7, 8, 9);
    const request = () => {
      const p = picker.pick(0, 0, eps);
      picker.connection(0, p, 1);
      picker.connection(0, p, -1);
      return p;
    };
    // One request at a time: each endpoint in turn (inactive 0,0,0 -> 7; 1,0,0 -> 8; 1,1,0 -> 9; 1,1,1 -> 7)
    expect([request(), request(), request(), request()]).toEqual([7, 8, 9, 7]);
    picker.inactiveExpired(0, 7);
    picker.inactiveExpired(0, 7);
    picker.inactiveExpired(0, 8);
    expect(request()).toBe(7); // 0, 0, 1 -> 7 first
    expect(picker.tracksConnections).toBe(true);
  });
});
