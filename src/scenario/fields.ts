/**
 * Field schemas shared by the scenario sections: durations, Kubernetes quantities,
 * positive integers, names, and distributions of durations. Each carries the
 * "expected ..." text that ends up in the one-line error.
 */
import { US_PER_S } from "../engine/simulation.js";
import { z } from "zod";
import type { DistributionSpec } from "../engine/distribution.js";
import { isQuantity } from "../model/quantity.js";
import { DURATION_EXPECTED, DURATION_TOO_LONG, MAX_DURATION_US, durationUs, isDuration } from "./duration.js";

/** A duration, validated; parse with durationUs() after validation. */
const NUMBER = "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)";
const DURATION_PATTERN = new RegExp(`^(${NUMBER}(ns|us|µs|ms|s|m|h))+$|^[0-9]+(\\.[0-9]*)?$`);
export const duration = z
  .union([z.number({ error: DURATION_EXPECTED }).nonnegative({ error: DURATION_EXPECTED }), z.string().regex(DURATION_PATTERN, { error: DURATION_EXPECTED })], {
    error: DURATION_EXPECTED,
  })
  .refine(isDuration, { error: DURATION_EXPECTED, abort: true })
  .refine((v) => durationUs(v) <= MAX_DURATION_US, { error: DURATION_TOO_LONG })
  .describe("duration: 500ms, 30s, 90m, 1h, 1h30m, or a number of seconds");

/**
 * Shortest period of anything that repeats (heartbeats, health checks, lease renewals).
 * [kubesim choice] etcd and HAProxy take these settings in whole milliseconds; a
 * period of zero would repeat at one instant for ever.
 */
export const MIN_PERIOD_US = 1000;
/** A duration that is the period of something periodic: at least MIN_PERIOD_US. */
export const period = duration.refine((v) => durationUs(v) >= MIN_PERIOD_US, { error: "expected a period of at least 1ms" });

const QUANTITY_EXPECTED = "expected a Kubernetes quantity such as 500m, 2, 4Gi or 1e3";
export const quantity = z
  .union([z.string({ error: QUANTITY_EXPECTED }), z.number({ error: QUANTITY_EXPECTED })], {
    error: QUANTITY_EXPECTED,
  })
  .refine(isQuantity, { error: QUANTITY_EXPECTED })
  .describe("Kubernetes resource quantity (k8s.io/apimachinery resource.Quantity)");

export function positiveInt(what = "a positive integer") {
  const error = `expected ${what}`;
  return z.number({ error }).int({ error }).positive({ error }).max(Number.MAX_SAFE_INTEGER, { error });
}

export function nonNegativeInt(what = "a non-negative integer") {
  const error = `expected ${what}`;
  return z.number({ error }).int({ error }).nonnegative({ error }).max(Number.MAX_SAFE_INTEGER, { error });
}

export function positiveNumber(what = "a positive number") {
  const error = `expected ${what}`;
  return z.number({ error }).positive({ error }).finite({ error });
}

const DNS_LABEL_EXPECTED = "expected a lowercase name of letters, digits and '-' (a Kubernetes DNS label)";
/** RFC 1123 label, as Kubernetes requires of most object names. */
export const dnsLabel = z
  .string({ error: DNS_LABEL_EXPECTED })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: DNS_LABEL_EXPECTED })
  .max(63, { error: DNS_LABEL_EXPECTED });

const DNS_SUBDOMAIN_EXPECTED = "expected a lowercase name of letters, digits, '-' and '.' (a Kubernetes DNS subdomain)";
export const dnsSubdomain = z
  .string({ error: DNS_SUBDOMAIN_EXPECTED })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: DNS_SUBDOMAIN_EXPECTED })
  .max(253, { error: DNS_SUBDOMAIN_EXPECTED });

export const stringMap = z.record(z.string(), z.string({ error: "expected a string value (quote numbers and booleans)" }), {
  error: "expected a mapping of strings",
});

/**
 * A distribution of durations: the engine's DistributionSpec with duration strings
 * allowed wherever the value is a time (`{type: exponential, mean: 10m}`), or a bare
 * duration meaning a constant. shape parameters stay unitless.
 */
const DIST_EXPECTED =
  "expected a duration or a distribution {type: constant|uniform|exponential|normal|lognormal|weibull|pareto|empirical, ...}";
export const durationDistribution = z.union(
  [
    duration,
    z.discriminatedUnion(
      "type",
      [
    z.strictObject({ type: z.literal("constant"), value: duration }),
    z.strictObject({ type: z.literal("uniform"), min: duration, max: duration }),
    z.strictObject({ type: z.literal("exponential"), mean: duration }),
    z.strictObject({ type: z.literal("normal"), mean: duration, stddev: duration, min: duration.optional() }),
    z.strictObject({ type: z.literal("lognormal"), p50: duration, p99: duration }),
    z.strictObject({ type: z.literal("weibull"), shape: positiveNumber(), scale: duration }),
    z.strictObject({ type: z.literal("pareto"), shape: positiveNumber(), scale: duration }),
    z.strictObject({ type: z.literal("empirical"), values: z.array(duration).min(1) }),
      ],
      { error: DIST_EXPECTED },
    ),
  ],
  { error: DIST_EXPECTED },
);
export type DurationDistributionInput = z.input<typeof durationDistribution>;

/** The engine DistributionSpec of a validated distribution of durations, in seconds. */
export function distributionSeconds(d: DurationDistributionInput): DistributionSpec {
  const s = (v: string | number) => durationUs(v) / US_PER_S;
  if (typeof d === "string" || typeof d === "number") return { type: "constant", value: s(d) };
  switch (d.type) {
    case "constant":
      return { type: "constant", value: s(d.value) };
    case "uniform":
      return { type: "uniform", min: s(d.min), max: s(d.max) };
    case "exponential":
      return { type: "exponential", mean: s(d.mean) };
    case "normal":
      return { type: "normal", mean: s(d.mean), stddev: s(d.stddev), min: d.min === undefined ? 0 : s(d.min) };
    case "lognormal":
      return { type: "lognormal", p50: s(d.p50), p99: s(d.p99) };
    case "weibull":
      return { type: "weibull", shape: d.shape, scale: s(d.scale) };
    case "pareto":
      return { type: "pareto", shape: d.shape, scale: s(d.scale) };
    case "empirical":
      return { type: "empirical", values: d.values.map(s) };
  }
}
