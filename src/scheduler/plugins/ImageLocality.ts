/**
 * ImageLocality (Score): favours nodes that already have the pod's images.
 *   sum = Σ over container and init-container images (name normalized with
 *         ":latest" when untagged) present on the node of
 *         int(imageSize * nodesHavingImage / totalNodes)
 *   where imageSize is the one size the scheduler cache keeps per image name (the
 *   first node's that reported it), not each node's own report;
 *   clamp sum to [23 MiB, 1000 MiB * #containers];
 *   score = 100 * (sum - 23 MiB) div (1000 MiB * #containers - 23 MiB).
 * No NormalizeScore.
 */
import { Code, MAX_NODE_SCORE, type CycleState, type ScorePlugin, type StatusCode } from "../framework.js";
import type { CompiledPod } from "../compiled.js";
import { nextCapacity } from "../../engine/columns.js";

export const IMAGE_LOCALITY = "ImageLocality";

const MB = 1024 * 1024;
/** Upstream minThreshold: 23 MiB. */
export const MIN_THRESHOLD_BYTES = 23 * MB;
/** Upstream maxContainerThreshold: 1000 MiB per container. */
export const MAX_CONTAINER_THRESHOLD_BYTES = 1000 * MB;

export class ImageLocality implements ScorePlugin {
  readonly name = IMAGE_LOCALITY;
  private ids = new Int32Array(8);

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const snap = state.snapshot;
    const images = pod.images;
    if (this.ids.length < images.length) this.ids = new Int32Array(nextCapacity(this.ids.length, images.length)); // scratch: not copied
    const ids = this.ids;
    let known = 0;
    for (let j = 0; j < images.length; j++) {
      const id = snap.imageId(images[j]);
      if (id >= 0) ids[known++] = id;
    }
    if (known === 0 || pod.containerCount === 0) {
      // No node has any of the images: every sum clamps to minThreshold, score 0.
      out.fill(0, 0, count);
      state.scoresUniform = true;
      return Code.Success;
    }
    const total = snap.nodes.count;
    const maxThreshold = MAX_CONTAINER_THRESHOLD_BYTES * pod.containerCount;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      const have = snap.nodeImages[n];
      let sum = 0;
      for (let j = 0; j < known; j++) {
        const id = ids[j];
        for (let k = 0; k < have.length; k++) {
          if (have[k] === id) {
            sum += Math.trunc(snap.imageSizeBytes[id] * (snap.imageNodeCount[id] / total));
            break;
          }
        }
      }
      if (sum < MIN_THRESHOLD_BYTES) sum = MIN_THRESHOLD_BYTES;
      else if (sum > maxThreshold) sum = maxThreshold;
      out[i] = Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD_BYTES)) / (maxThreshold - MIN_THRESHOLD_BYTES));
    }
    return Code.Success;
  }
}
