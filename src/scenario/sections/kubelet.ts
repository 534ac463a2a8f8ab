/** The kubelets of the node pools: what a scenario may set beyond upstream's defaults. */
import { z } from "zod";
import { durationDistribution } from "../fields.js";

export const kubeletSection = {
  kubelet: z
    .strictObject({
      containerStopTime: durationDistribution
        .optional()
        .describe("time a container takes to exit after SIGTERM, capped by terminationGracePeriodSeconds (default: the whole grace period)"),
    })
    .prefault({})
    .describe("the kubelets of the node pools"),
};
