/**
 * The term index (candidate groups by anchor label) must find exactly the pairs a
 * brute-force test of every group against every term finds, whatever the mix of
 * selectors (In with several values, NotIn, Exists, matchLabels), namespaces and
 * groups arriving over time.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { snapshotFromObjects } from "../../src/scheduler/snapshot.js";
import { PodGroups } from "../../src/scheduler/plugins/interpodaffinity/podGroups.js";
import { PodAffinitySpec } from "../../src/scheduler/plugins/interpodaffinity/podAffinitySpec.js";
import { termMatchesPod } from "../../src/scheduler/plugins/interpodaffinity/affinityTerm.js";
import type { LabelSelector } from "../../src/model/types.js";
import { affinity, node, pod, term, weighted } from "./interPodAffinity.builders.js";

const selector = fc.oneof(
  fc.record({ k: fc.constantFrom("app", "tier"), vs: fc.subarray(["a", "b", "c"], { minLength: 1 }) }).map(({ k, vs }): LabelSelector => ({ matchExpressions: [{ key: k, operator: "In", values: vs }] })),
  fc.constantFrom("a", "b").map((v): LabelSelector => ({ matchLabels: { app: v } })),
  fc.constantFrom("app", "tier").map((k): LabelSelector => ({ matchExpressions: [{ key: k, operator: "Exists" }] })),
  fc.constantFrom("a", "b").map((v): LabelSelector => ({ matchExpressions: [{ key: "app", operator: "NotIn", values: [v] }] })),
  fc.constant({} as LabelSelector),
);
const template = fc.record({
  ns: fc.constantFrom("default", "other"),
  app: fc.constantFrom("a", "b", "c"),
  tier: fc.option(fc.constantFrom("a", "b"), { nil: undefined }),
  anti: fc.option(selector, { nil: undefined }),
  req: fc.option(fc.array(selector, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  pref: fc.option(selector, { nil: undefined }),
  allNs: fc.boolean(),
});

describe("InterPodAffinity term index", () => {
  it("relate() finds exactly the brute-force pairs", () => {
    fc.assert(
      fc.property(fc.array(template, { minLength: 1, maxLength: 12 }), fc.array(template, { minLength: 1, maxLength: 12 }), (first, later) => {
        const snapshot = snapshotFromObjects({ nodes: [node("n0", { zone: "z" })] });
        const mk = (t: (typeof first)[number], i: number) => {
          const nsOpt = t.allNs ? { namespaceSelector: {} } : {};
          return snapshot.compile(
            pod({
              namespace: t.ns,
              labels: { app: t.app, ...(t.tier ? { tier: t.tier } : {}), id: `${i}` },
              affinity: affinity({
                ...(t.anti ? { antiRequired: [term(t.anti, "zone", nsOpt)] } : {}),
                ...(t.req ? { required: t.req.map((s) => term(s, "zone", nsOpt)) } : {}),
                ...(t.pref ? { preferred: [weighted(3, term(t.pref, "zone", nsOpt))] } : {}),
              }),
            }),
          );
        };
        const groups = PodGroups.of(snapshot);
        const templates = first.map(mk);
        for (const c of templates) groups.groupOf(c, false);
        const specs = templates.map((c) => PodAffinitySpec.of(c, snapshot));
        for (const sp of specs) sp.relate(groups, snapshot); // relate, then more groups arrive
        const more = later.map((t, i) => mk(t, 100 + i));
        for (const c of more) groups.groupOf(c, false);
        const all = [...templates, ...more].map((c) => PodAffinitySpec.of(c, snapshot));
        for (const sp of all) {
          sp.relate(groups, snapshot);
          const want = bruteForce(sp, groups, snapshot);
          const got = Object.fromEntries(Object.entries(sp.relevant).map(([k, v]) => [k, sortPairs(v, k === "allRequired" ? 1 : 2)]));
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function sortPairs(flat: number[], width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += width) out.push(flat.slice(i, i + width).join(","));
  return out.sort();
}

function bruteForce(me: PodAffinitySpec, groups: PodGroups, snapshot: ReturnType<typeof snapshotFromObjects>): Record<string, string[]> {
  const r: Record<string, number[]> = { allRequired: [], anti: [], preferred: [], antiPreferred: [], existingAnti: [], existingRequired: [], existingPreferred: [], existingAntiPreferred: [] };
  groups.groups.forEach((group, g) => {
    const other = PodAffinitySpec.of(group.pod, snapshot);
    if (me.required.length > 0 && me.required.every((t) => termMatchesPod(t, other.pod, snapshot))) r.allRequired.push(g);
    me.antiRequired.forEach((t, i) => termMatchesPod(t, other.pod, snapshot) && r.anti.push(g, i));
    me.preferred.forEach((t, i) => termMatchesPod(t, other.pod, snapshot) && r.preferred.push(g, i));
    me.antiPreferred.forEach((t, i) => termMatchesPod(t, other.pod, snapshot) && r.antiPreferred.push(g, i));
    other.antiRequired.forEach((t, j) => termMatchesPod(t, me.pod, snapshot) && r.existingAnti.push(g, j));
    other.required.forEach((t, j) => termMatchesPod(t, me.pod, snapshot) && r.existingRequired.push(g, j));
    other.preferred.forEach((t, j) => termMatchesPod(t, me.pod, snapshot) && r.existingPreferred.push(g, j));
    other.antiPreferred.forEach((t, j) => termMatchesPod(t, me.pod, snapshot) && r.existingAntiPreferred.push(g, j));
  });
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sortPairs(v, k === "allRequired" ? 1 : 2)]));
}
