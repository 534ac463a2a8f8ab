/**
 * client-go's workqueue rate limiting as kube-controller-manager's controllers use it
 * (k8s.io/client-go/util/workqueue DefaultControllerRateLimiter): the per-item part, an
 * ItemExponentialFailureRateLimiter(5 ms, 1000 s): an item requeued after its n-th
 * failure in a row waits 5 ms x 2^n, at most 1000 s; Forget (a sync without failure)
 * starts it over. Simplification: the overall token bucket (10 qps, burst 100) of the
 * default limiter is not modelled.
 */
import { US_PER_S } from "../engine/simulation.js";

export const CONTROLLER_BACKOFF_BASE_US = 5_000;
export const CONTROLLER_BACKOFF_MAX_US = 1000 * US_PER_S;

/** The delay before an item that has failed `requeues` times in a row (0 = the first failure) is processed again. */
export function controllerBackoffUs(requeues: number): number {
  return Math.min(CONTROLLER_BACKOFF_BASE_US * 2 ** requeues, CONTROLLER_BACKOFF_MAX_US);
}
