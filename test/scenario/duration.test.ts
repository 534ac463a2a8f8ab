import { describe, expect, it } from "vitest";
import { durationUs, formatDurationUs } from "../../src/scenario/duration.js";
import { distributionSeconds } from "../../src/scenario/fields.js";

describe("durations", () => {
  it.each([
    ["1h", 3600e6],
    ["90m", 5400e6],
    ["30s", 30e6],
    ["500ms", 500e3],
    ["1h30m", 5400e6],
    ["1.5s", 1.5e6],
    ["250us", 250],
    ["2m30s", 150e6],
    ["10", 10e6],
    [45, 45e6],
    [0.25, 250e3],
    ["0", 0],
  ] as [string | number, number][])("%s = %d us", (text, us) => {
    expect(durationUs(text)).toBe(us);
  });

  it.each(["", "1d", "h", "1 h", "-5s", "5", "1h-30m", "1.2.3s", "forever"].filter((s) => s !== "5"))("rejects %j", (text) => {
    expect(durationUs(text)).toBeNaN();
  });

  it("rejects negative numbers of seconds", () => {
    expect(durationUs(-1)).toBeNaN();
  });

  it("formats back to the largest whole unit", () => {
    expect(formatDurationUs(3600e6)).toBe("1h");
    expect(formatDurationUs(5400e6)).toBe("90m");
    expect(formatDurationUs(1500e3)).toBe("1500ms");
  });

  it("distributions of durations convert to seconds, shapes untouched", () => {
    expect(distributionSeconds({ type: "exponential", mean: "10m" })).toEqual({ type: "exponential", mean: 600 });
    expect(distributionSeconds("2s")).toEqual({ type: "constant", value: 2 });
    expect(distributionSeconds({ type: "lognormal", p50: "2ms", p99: "8ms" })).toEqual({ type: "lognormal", p50: 0.002, p99: 0.008 });
    expect(distributionSeconds({ type: "weibull", shape: 1.5, scale: "1h" })).toEqual({ type: "weibull", shape: 1.5, scale: 3600 });
    expect(distributionSeconds({ type: "empirical", values: ["1s", 2, "500ms"] })).toEqual({ type: "empirical", values: [1, 2, 0.5] });
  });
});
