import { describe, expect, it } from "vitest";
import { Simulation, US_PER_MS } from "../../src/engine/simulation.js";
import { LinkClass, Network } from "../../src/infra/network.js";
import { Disks } from "../../src/infra/disk.js";

function net3(): { net: Network; a: number; b: number; c: number; d: number } {
  const sim = new Simulation(7);
  const net = new Network(sim);
  const a = net.addHost("a", "zone-a", "eu");
  const b = net.addHost("b", "zone-a", "eu");
  const c = net.addHost("c", "zone-b", "eu");
  const d = net.addHost("d", "zone-a", "us");
  return { net, a, b, c, d };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

describe("network", () => {
  it("classifies links by host, zone and region", () => {
    const { net, a, b, c, d } = net3();
    expect(net.linkClass(a, a)).toBe(LinkClass.SAME_HOST);
    expect(net.linkClass(a, b)).toBe(LinkClass.SAME_ZONE);
    expect(net.linkClass(a, c)).toBe(LinkClass.CROSS_ZONE);
    // Same zone name in another region is another zone.
    expect(net.linkClass(a, d)).toBe(LinkClass.CROSS_REGION);
  });

  it("draws latencies whose medians follow the configured classes", () => {
    const { net, a, b, c, d } = net3();
    const sample = (x: number, y: number) => Array.from({ length: 4001 }, () => net.delayUs(x, y));
    // Defaults: same zone p50 0.15 ms, cross zone 0.5 ms, cross region 25 ms (one way).
    expect(median(sample(a, b)) / US_PER_MS).toBeCloseTo(0.15, 1);
    expect(median(sample(a, c)) / US_PER_MS).toBeCloseTo(0.5, 1);
    expect(Math.abs(median(sample(a, d)) / US_PER_MS - 25)).toBeLessThan(1);
  });

  it("a symmetric partition blocks both directions between groups only", () => {
    const { net, a, b, c, d } = net3();
    net.partition([[a, b], [c]]);
    expect(net.delayUs(a, c)).toBe(-1);
    expect(net.delayUs(c, b)).toBe(-1);
    expect(net.delayUs(a, b)).toBeGreaterThan(0);
    // d is in no group: it keeps its links.
    expect(net.delayUs(d, c)).toBeGreaterThan(0);
    net.heal();
    expect(net.delayUs(a, c)).toBeGreaterThan(0);
    expect(net.cutLinks).toBe(0);
  });

  it("an asymmetric cut blocks one direction", () => {
    const { net, a, b } = net3();
    net.cut(a, b);
    expect(net.delayUs(a, b)).toBe(-1);
    expect(net.delayUs(b, a)).toBeGreaterThan(0);
    net.restore(a, b);
    expect(net.delayUs(a, b)).toBeGreaterThan(0);
  });

  it("isolating a host or a set cuts exactly their links to the rest", () => {
    const { net, a, b, c, d } = net3();
    net.isolate(b);
    expect(net.canReach(a, b) || net.canReach(b, c) || net.canReach(d, b)).toBe(false);
    expect(net.canReach(a, c)).toBe(true);
    net.heal();
    net.isolateSet([a, b]);
    expect(net.canReach(a, b)).toBe(true);
    expect(net.canReach(a, c) || net.canReach(d, b)).toBe(false);
    expect(net.canReach(c, d)).toBe(true);
    expect(net.hostsInZone("zone-a", "eu")).toEqual([a, b]);
  });

  it("drops about the configured share of messages, never on the same host", () => {
    const { net, a, b } = net3();
    net.setLossProbability(0.2);
    let lost = 0;
    for (let i = 0; i < 10_000; i++) if (net.delayUs(a, b) < 0) lost++;
    expect(lost / 10_000).toBeGreaterThan(0.18);
    expect(lost / 10_000).toBeLessThan(0.22);
    for (let i = 0; i < 100; i++) expect(net.delayUs(a, a)).toBeGreaterThanOrEqual(0);
    expect(() => net.setLossProbability(1.5)).toThrow(RangeError);
  });

  it("grows past its initial host capacity and keeps cut links", () => {
    const sim = new Simulation(1);
    const net = new Network(sim);
    for (let i = 0; i < 40; i++) net.addHost(`h${i}`);
    net.cut(3, 5);
    net.addHost("late");
    for (let i = 0; i < 40; i++) net.addHost(`x${i}`);
    expect(net.canReach(3, 5)).toBe(false);
    expect(net.canReach(5, 3)).toBe(true);
    expect(() => net.addHost("h1")).toThrow(/added twice/);
  });

  it("keeps every host's zone and region when it grows", () => {
    const net = new Network(new Simulation(1));
    const a = net.addHost("a", "zone-a", "eu");
    const b = net.addHost("b", "zone-b", "eu");
    const c = net.addHost("c", "zone-a", "us");
    for (let i = 0; i < 100; i++) net.addHost(`h${i}`, i % 2 === 0 ? "zone-a" : "zone-b", "eu");
    expect(net.linkClass(a, b)).toBe(LinkClass.CROSS_ZONE);
    expect(net.linkClass(a, c)).toBe(LinkClass.CROSS_REGION);
    expect(net.linkClass(a, net.hostIndex("h98"))).toBe(LinkClass.SAME_ZONE);
    expect(net.linkClass(b, net.hostIndex("h99"))).toBe(LinkClass.SAME_ZONE);
  });
});

describe("disks", () => {
  it("default fsync latency: p50 about 2 ms and p99 under 10 ms (etcd guidance)", () => {
    const disks = new Disks(new Simulation(3));
    const xs = Array.from({ length: 20_000 }, () => disks.fsyncUs(0)).sort((x, y) => x - y);
    expect(xs[10_000] / US_PER_MS).toBeCloseTo(2, 0);
    expect(xs[Math.floor(0.99 * 20_000)] / US_PER_MS).toBeLessThan(10);
  });

  it("a slow disk multiplies every fsync by its factor, on that host only", () => {
    const healthy = new Disks(new Simulation(5));
    const slow = new Disks(new Simulation(5));
    slow.setSlow(1, 8);
    for (let i = 0; i < 100; i++) {
      const h = healthy.fsyncUs(1);
      expect(slow.fsyncUs(1)).toBeCloseTo(8 * h, 6);
    }
    slow.clearSlow(1);
    expect(slow.fsyncUs(1)).toBeCloseTo(healthy.fsyncUs(1), 6);
    expect(() => slow.setSlow(0, 0)).toThrow(RangeError);
  });

  it("a slow disk on a host beyond the first 16 leaves every other host healthy", () => {
    const disks = new Disks(new Simulation(5));
    disks.setSlow(2, 4);
    disks.setSlow(40, 3);
    expect(disks.slowness(2)).toBe(4);
    expect(disks.slowness(40)).toBe(3);
    for (const h of [0, 15, 16, 20, 39, 41, 63, 64, 1000]) expect(disks.slowness(h)).toBe(1);
    disks.clearSlow(70);
    expect(disks.slowness(40)).toBe(3);
    expect(disks.slowness(70)).toBe(1);
  });
});
