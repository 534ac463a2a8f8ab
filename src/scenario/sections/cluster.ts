/**
 * A real cluster as the starting point: `cluster: {files: [...], poolLabel: ...}` names
 * `kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,
 * poddisruptionbudgets,priorityclasses -A -o yaml` output (YAML or JSON). The loader
 * (clusterExport.ts) turns its Nodes into node pools, grouped by `poolLabel`, and its
 * workloads into `workloads` entries, before the scenario is validated; this schema
 * documents the section and checks its shape.
 */
import { z } from "zod";

/** The label that names a node's pool when the user names none: v1.LabelInstanceTypeStable (well_known_labels.go). */
export const DEFAULT_POOL_LABEL = "node.kubernetes.io/instance-type";

export const FILES_EXPECTED = "expected the path of a cluster export (kubectl get ... -o yaml), or a list of paths";

export const clusterSection = {
  cluster: z
    .strictObject({
      files: z.union([z.string().min(1, { error: FILES_EXPECTED }), z.array(z.string().min(1, { error: FILES_EXPECTED }), { error: FILES_EXPECTED }).min(1, { error: FILES_EXPECTED })], { error: FILES_EXPECTED }),
      poolLabel: z.string({ error: "expected a node label key such as node.kubernetes.io/instance-type" }).min(1).default(DEFAULT_POOL_LABEL),
    })
    .optional()
    .describe("a real cluster's objects as the initial state: nodes become pools by poolLabel, bound pods keep their nodes, workloads and PDBs come along"),
};
