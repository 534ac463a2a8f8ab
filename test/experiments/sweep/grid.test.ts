/** The sweep grid: --param value lists (ranges, flow values), the product's order, seeds, shards, baselines. */
import { describe, expect, it } from "vitest";
import {
  baselinePoints,
  GridInputError,
  gridRuns,
  parseParam,
  parseParams,
  parseSeeds,
  pointCount,
  pointSets,
  pointValues,
  shardRuns,
  splitTopLevel,
} from "../../../src/experiments/sweep/grid.js";

describe("--param values", () => {
  it("a comma list, trimmed", () => {
    expect(parseParam("nodePools[0].count= 2, 4,8")).toEqual({ path: "nodePools[0].count", values: ["2", "4", "8"] });
    expect(parseParam("sampleInterval=30s,1m").values).toEqual(["30s", "1m"]);
  });

  it("integer ranges, inclusive, with an optional step, mixed with plain values", () => {
    expect(parseParam("a=1..5").values).toEqual(["1", "2", "3", "4", "5"]);
    expect(parseParam("a=1..9..2").values).toEqual(["1", "3", "5", "7", "9"]);
    expect(parseParam("a=1..10..4").values).toEqual(["1", "5", "9"]);
    expect(parseParam("a=-2..0,10").values).toEqual(["-2", "-1", "0", "10"]);
    expect(parseParam("a=3..3").values).toEqual(["3"]);
  });

  it("a YAML flow value or quoted scalar keeps its commas", () => {
    expect(parseParam("z=[a,b],[c]").values).toEqual(["[a,b]", "[c]"]);
    expect(parseParam('l={a: "x,y", b: [1,2]},{a: z}').values).toEqual(['{a: "x,y", b: [1,2]}', "{a: z}"]);
    expect(parseParam("s='p,q',\"r,\\\"s\",t").values).toEqual(["'p,q'", '"r,\\"s"', "t"]);
    expect(splitTopLevel("[[a,b],c],d")).toEqual(["[[a,b],c]", "d"]);
  });

  const refused = (arg: string, message: string) => {
    expect(() => parseParam(arg)).toThrow(GridInputError);
    expect(() => parseParam(arg)).toThrow(message);
  };

  it("refuses bad values in one line naming --param and the value", () => {
    refused("a=1..x", '--param a: expected an integer range like 1..5 or 1..9..2, got "1..x"');
    refused("a=5..1", '--param a: expected a range from a smaller to a larger integer, got "5..1"');
    refused("a=1..5..0", '--param a: expected a positive step in "1..5..0" (a..b..step), got 0');
    refused("a=2,,3", '--param a: expected a comma-separated list of values, got an empty value in "2,,3"');
    refused("a=2,2", '--param a: expected each value once, got "2" twice in "2,2"');
    refused("a=", "--param a: expected a comma-separated list of values after \"=\", got none");
    refused("count", '--param: expected path=v1,v2,... (e.g. nodePools[0].count=100,200), got "count"');
    refused("=1,2", '--param: expected path=v1,v2,... (e.g. nodePools[0].count=100,200), got "=1,2"');
    refused("a=1..1000000", '--param a: expected at most 100,000 values, got 1,000,000 from "1..1000000"');
    expect(() => parseParams(["a=1", "a=2"])).toThrow("--param a: expected each path once, got it twice (put all its values in one list)");
  });
});

describe("the grid", () => {
  const params = parseParams(["a=1,2", "b=x,y,z"]);

  it("is the product in flag order, the last param varying fastest", () => {
    expect(pointCount(params)).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((p) => pointValues(params, p).join(" "))).toEqual(["1 x", "1 y", "1 z", "2 x", "2 y", "2 z"]);
    expect(pointSets(params, 4)).toEqual(["a=2", "b=y"]);
    expect(pointCount([])).toBe(1);
  });

  it("runs are numbered point · seeds + seed index; the shards partition them round robin", () => {
    const runs = gridRuns({ params, seeds: [7, 8] });
    expect(runs.slice(0, 3)).toEqual([
      { run: 0, point: 0, seed: 7 },
      { run: 1, point: 0, seed: 8 },
      { run: 2, point: 1, seed: 7 },
    ]);
    const shards = [0, 1, 2, 3, 4].map((i) => shardRuns(runs, i, 5));
    expect(shards.flat().map((r) => r.run).sort((x, y) => x - y)).toEqual(runs.map((r) => r.run));
    expect(shards[1].map((r) => r.run)).toEqual([1, 6, 11]);
  });

  it("--seeds: a count from the base seed, or a list", () => {
    expect(parseSeeds("3", 10)).toEqual([10, 11, 12]);
    expect(parseSeeds("1,5,9", 10)).toEqual([1, 5, 9]);
    expect(parseSeeds("1..3,10", 0)).toEqual([1, 2, 3, 10]);
    expect(parseSeeds("7,", 0)).toEqual([7]);
    expect(() => parseSeeds("0", 1)).toThrow("--seeds: expected a positive number of seeds or a list like 1,5,9, got \"0\"");
    expect(() => parseSeeds("1,x", 1)).toThrow('--seeds: expected a count or a list of non-negative integer seeds, got "x" in "1,x"');
    expect(() => parseSeeds("1,1", 1)).toThrow('--seeds: expected each value once, got "1" twice');
  });

  it("the baseline: point 0, a point named in full, or per point with the named params replaced", () => {
    expect(baselinePoints(params, [])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(baselinePoints(params, ["a=2,b=y"])).toEqual([4, 4, 4, 4, 4, 4]);
    expect(baselinePoints(params, ["a=2", "b=y"])).toEqual([4, 4, 4, 4, 4, 4]);
    // Only b named: each point against the point with the same a and b = z.
    expect(baselinePoints(params, ["b=z"])).toEqual([2, 2, 2, 5, 5, 5]);
    expect(() => baselinePoints(params, ["c=1"])).toThrow('--baseline: expected the path of a --param (a, b), got "c"');
    expect(() => baselinePoints(params, ["a=3"])).toThrow('--baseline a: expected one of its --param values (1, 2), got "3"');
    expect(() => baselinePoints(params, ["a"])).toThrow('--baseline: expected path=value with a --param path (e.g. a=1), got "a"');
  });
});
