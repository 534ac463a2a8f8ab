/**
 * ImageLocality on images a node reports during a run (Snapshot.setNodeImages, the
 * scheduler cache's imageStates). Scores by hand: score = int(100 x (sum - 23 MB) /
 * (1000 MB - 23 MB)) for a one-container pod, sum = size x nodesWithImage / totalNodes.
 */
import { describe, expect, test } from "vitest";
import { ImageLocality } from "../../src/scheduler/plugins/ImageLocality.js";
import { cluster, runScore } from "./helpers.js";

const MB = 1024 * 1024;

describe("ImageLocality follows the nodes' reported images", () => {
  test("a pull reported on a second node, a removal, and an image forgotten once no node has it", () => {
    const snap = cluster([{ name: "n1", images: [{ names: ["gcr.io/300:latest"], sizeBytes: 300 * MB }] }, { name: "n2", images: [] }]);
    const p = snap.compile({ metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "gcr.io/300" }] } });
    const score = () => runScore(new ImageLocality(), snap, p);
    // one node of two: sum 150 MB -> int(100 x 127 / 977) = 12
    expect(score()).toEqual([12, 0]);
    // n2 pulled it and reported it: both nodes, sum 300 MB -> int(100 x 277 / 977) = 28
    snap.setNodeImages(1, [{ names: ["gcr.io/300:latest"], sizeBytes: 300 * MB }]);
    expect(snap.imageNodeCount[snap.imageId("gcr.io/300:latest")]).toBe(2);
    expect(score()).toEqual([28, 28]);
    // image GC removed it from n1
    snap.setNodeImages(0, []);
    expect(score()).toEqual([0, 12]);
    // gone everywhere, then reported again with another size: the new size counts
    snap.setNodeImages(1, []);
    expect(score()).toEqual([0, 0]);
    snap.setNodeImages(0, [{ names: ["gcr.io/300:latest"], sizeBytes: 500 * MB }]);
    // 250 MB -> int(100 x 227 / 977) = 23
    expect(score()).toEqual([23, 0]);
  });
});
