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
