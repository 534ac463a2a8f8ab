/**
 * The images a node's status reports (the kubelet's Images status setter): the image
 * manager's cached image list, refreshed every 30 s, sorted by size, largest first, at
 * most nodeStatusMaxImages (50). The node status loop (nodeStatus.ts) asks at each sync
 * whether this list differs from the Node the API server holds, and posts it if so; the
 * kube-scheduler then sees it through the Node's watch event (ImageLocality).
 * [kubesim choice] The 30 s refresh is checked at the status syncs (every 10 s): the list
 * is re-read at the first sync at least 30 s after the last read.
 */
import type { Simulation } from "../../engine/simulation.js";
import type { Interner } from "../../model/interner.js";
import type { ClusterState, NodeImage } from "../../apiserver/clusterState.js";
import { IMAGE_LIST_REFRESH_US, NODE_STATUS_MAX_IMAGES } from "./config.js";
import type { NodeImages } from "./imageCache.js";

export class NodeImageList {
  private readonly listedAtUs: Float64Array;
  private readonly listedVersion: Float64Array;
  private readonly listed: (readonly NodeImage[])[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly caches: readonly NodeImages[],
    private readonly names: Interner,
    private readonly sizeBytes: readonly number[],
  ) {
    const n = caches.length;
    this.listedAtUs = new Float64Array(n);
    this.listedVersion = new Float64Array(n);
    for (let node = 0; node < n; node++) {
      this.listed.push(this.list(node));
      this.listedVersion[node] = caches[node].version;
      // The Node registers with its images: the API server holds them from the start.
      cluster.setNodeImages(node, this.listed[node]);
    }
  }

  /** The image list as status.images has it: largest first, ties by name, at most 50. */
  list(node: number): NodeImage[] {
    const ids = [...this.caches[node].records.keys()];
    ids.sort((a, b) => this.sizeBytes[b] - this.sizeBytes[a] || (this.names.name(a) < this.names.name(b) ? -1 : 1));
    return ids.slice(0, NODE_STATUS_MAX_IMAGES).map((id) => ({ names: [this.names.name(id)], sizeBytes: this.sizeBytes[id] }));
  }

  /** At a status sync: the list to post when it differs from the Node's, else undefined. */
  toPost(node: number): readonly NodeImage[] | undefined {
    const now = this.sim.now;
    if (now - this.listedAtUs[node] >= IMAGE_LIST_REFRESH_US) {
      this.listedAtUs[node] = now;
      if (this.caches[node].version !== this.listedVersion[node]) {
        this.listedVersion[node] = this.caches[node].version;
        this.listed[node] = this.list(node);
      }
    }
    const held = this.cluster.nodeImages[node];
    return held !== undefined && sameImages(held, this.listed[node]) ? undefined : this.listed[node];
  }
}

function sameImages(a: readonly NodeImage[], b: readonly NodeImage[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].sizeBytes !== b[i].sizeBytes || a[i].names[0] !== b[i].names[0]) return false;
  return true;
}
