/**
 * The constant latencies several control-plane tests set (so that expected times can be
 * computed by hand), and the API write bounds that follow from them.
 */

/** A constant duration distribution in milliseconds, as a scenario writes it. */
export const constMs = (ms: number) => ({ type: "constant", value: `${ms}ms` });

export const CLIENT_MS = 1;
export const PROCESSING_MS = 2;
export const FSYNC_MS = 3;
/** Cross-zone, one way. */
export const LINK_MS = 0.5;
export const SAME_HOST_MS = 0.1;

/**
 * Fastest write: client -> server, processing, server -> local member, one raft round
 * (MsgApp to a follower, its fsync, its ack; the leader's own fsync runs in parallel and
 * is shorter), member -> server, server -> client.
 */
export const API_MIN_MS = CLIENT_MS + PROCESSING_MS + SAME_HOST_MS + (LINK_MS + FSYNC_MS + LINK_MS) + SAME_HOST_MS + CLIENT_MS; // 8.2
/**
 * Slowest write without faults: as above, plus forwarding when the local member is a
 * follower (MsgProp to the leader and the commit notice back: 2 links), the leader's
 * Ready in progress (one fsync) and the follower's fsync in progress (one fsync).
 */
export const API_MAX_MS = API_MIN_MS + 2 * LINK_MS + FSYNC_MS + FSYNC_MS; // 15.2

/**
 * Bounds (ms after the sync starts) on when each of `count` pod creates that one
 * kube-controller-manager sync sends in slow-start batches (1, 2, 4, ..., the rest; its
 * client token bucket holding enough tokens) is answered, in the order they succeed:
 * batch j goes once batch j - 1 is all answered, and a batch of b creates takes one write,
 * between API_MIN and API_MAX + b * FSYNC (its writes may queue behind each other's
 * fsyncs). The i-th (0-based) is in batch j = floor(log2(i + 1)) + 1.
 */
export function slowStartCreateBoundsMs(count: number): { min: number; max: number }[] {
  const sizes: number[] = [];
  for (let left = count, b = 1; left > 0; left -= sizes[sizes.length - 1], b *= 2) sizes.push(Math.min(b, left));
  const bounds: { min: number; max: number }[] = [];
  let max = 0;
  sizes.forEach((b, j) => {
    max += API_MAX_MS + b * FSYNC_MS;
    for (let k = 0; k < b; k++) bounds.push({ min: (j + 1) * API_MIN_MS, max });
  });
  return bounds;
}
