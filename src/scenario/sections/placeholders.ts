/**
 * Sections owned by components still being built. Each is accepted as an opaque
 * mapping for now; the component's own section file replaces it in schema.ts
 * (a later entry in the section list wins).
 */
import { z } from "zod";

export const placeholderSections = {
  scheduler: z.looseObject({}).optional().describe("kube-scheduler settings (placeholder: accepted, not yet used)"),
  controlPlane: z.looseObject({}).optional().describe("control-plane topology (placeholder: accepted, not yet used)"),
};
