/** The run itself: name, seed, how long, how often to sample, pod start-up delay. */
import { z } from "zod";
import { dnsSubdomain, duration, durationDistribution, nonNegativeInt } from "../fields.js";

/** Default sample interval of the time series (a kubesim choice, not a Kubernetes default). */
export const DEFAULT_SAMPLE_INTERVAL = "10s";

/**
 * Default time from binding to Running: a small constant standing in for the kubelet's
 * sync, image pull (cached) and container start. Not an upstream default: the node
 * model (kubelet, runtime) is a later issue.
 */
export const DEFAULT_POD_STARTUP_DELAY = "1s";

export const runSection = {
  name: dnsSubdomain.describe("scenario name; the output folder is results/<name>-<seed>/ (-<hash> added with --set overrides)"),
  description: z.string().optional(),
  seed: nonNegativeInt("a non-negative integer seed").default(1),
  duration: duration.describe("simulated time to run, e.g. 1h"),
  sampleInterval: duration.default(DEFAULT_SAMPLE_INTERVAL).describe("time between rows of timeseries.csv"),
  // Optional rather than defaulted: a scenario with a containerRuntime section may not set it.
  podStartupDelay: durationDistribution
    .optional()
    .describe(`time from binding to Running (a duration or a distribution of durations; default ${DEFAULT_POD_STARTUP_DELAY}); not with a containerRuntime section`),
};
