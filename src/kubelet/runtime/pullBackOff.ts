/**
 * ImagePullBackOff: the image manager's back-off after a failed pull
 * (pkg/kubelet/images/image_manager.go EnsureImageExists, client-go flowcontrol.Backoff),
 * keyed by pod and image (`<pod UID>_<image>`): the first failure waits
 * imageBackOffPeriod (10 s), each next one twice the last, at most MaxImageBackOff
 * (300 s); an entry idle for 2 x the maximum starts over (Backoff.hasExpired).
 * kubesim retries the pull exactly when the back-off ends (upstream: at the pod's next
 * sync after it).
 */
import { IMAGE_BACKOFF_MAX_US, IMAGE_BACKOFF_START_US } from "./config.js";

export class PullBackOff {
  private readonly entries = new Map<string, { backoffUs: number; lastUpdateUs: number }>();

  /** Backoff.Next after a failed pull at `nowUs`: the wait before the next try. */
  next(pod: number, image: number, nowUs: number): number {
    const key = `${pod}_${image}`;
    const e = this.entries.get(key);
    if (!e || nowUs - e.lastUpdateUs > 2 * IMAGE_BACKOFF_MAX_US) {
      this.entries.set(key, { backoffUs: IMAGE_BACKOFF_START_US, lastUpdateUs: nowUs });
      return IMAGE_BACKOFF_START_US;
    }
    e.backoffUs = Math.min(2 * e.backoffUs, IMAGE_BACKOFF_MAX_US);
    e.lastUpdateUs = nowUs;
    return e.backoffUs;
  }

  /** The pod is gone: its entries go (upstream's GC drops them once expired). */
  forget(pod: number, images: readonly number[]): void {
    for (const image of images) this.entries.delete(`${pod}_${image}`);
  }
}
