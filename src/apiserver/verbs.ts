/**
 * Request verbs and resources as the API server sees them. Small integer codes so a
 * request in flight is a few typed-array cells, not an object.
 */

export const enum Verb {
  Get = 0,
  List = 1,
  Create = 2,
  Update = 3,
  Patch = 4,
  Delete = 5,
}
export const VERB_COUNT = 6;
export const VERB_NAMES: readonly string[] = ["get", "list", "create", "update", "patch", "delete"];

/** Mutating verbs take a mutating seat (max-in-flight) and are etcd writes. */
export function isMutating(verb: Verb): boolean {
  return verb >= Verb.Create;
}

export const enum Resource {
  Lease = 0,
  Pod = 1,
  PodBinding = 2,
  PodStatus = 3,
  Node = 4,
  Other = 5,
}
export const RESOURCE_NAMES: readonly string[] = ["leases", "pods", "pods/binding", "pods/status", "nodes", "other"];

/**
 * Outcome of a request, as the client sees it. HTTP codes where the API server
 * answered; 0 when the connection through the load balancer failed.
 */
export const enum Status {
  ConnectionFailed = 0,
  OK = 200,
  Created = 201,
  /** Refused by admission (NamespaceLifecycle: a create in a Terminating namespace). */
  Forbidden = 403,
  /** The namespace of a create is gone. */
  NotFound = 404,
  Conflict = 409,
  TooManyRequests = 429,
  InternalError = 500,
  ServiceUnavailable = 503,
  GatewayTimeout = 504,
}

export function isSuccess(code: number): boolean {
  return code >= 200 && code < 300;
}

/** Why a request failed, for the CSV `reason` column (mirrors upstream messages). */
export const enum Reason {
  None = 0,
  /** APF / max-in-flight rejection ("Too many requests, please try again later."). */
  TooManyRequests = 1,
  /** etcd gave up after its request timeout: "etcdserver: request timed out". */
  EtcdTimeout = 2,
  /** "etcdserver: no leader". */
  EtcdNoLeader = 3,
  /** the API server could not reach any etcd endpoint. */
  EtcdUnavailable = 4,
  /** the load balancer found no live API server: "connection refused". */
  ConnectionRefused = 5,
  /** optimistic concurrency: the object's resourceVersion changed. */
  Conflict = 6,
  /** NamespaceLifecycle: "unable to create new content in namespace X because it is being terminated" (403). */
  NamespaceTerminating = 7,
  /** NamespaceLifecycle: the namespace of a create is gone (404). */
  NamespaceNotFound = 8,
}
export const REASON_NAMES: readonly string[] = [
  "",
  "too many requests",
  "etcdserver: request timed out",
  "etcdserver: no leader",
  "etcd unavailable",
  "connection refused",
  "conflict",
  "namespace is being terminated",
  "namespace not found",
];
