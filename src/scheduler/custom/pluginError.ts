/**
 * A custom plugin broke its contract: it threw, returned something that is not a
 * status code, or left a score outside [MIN_NODE_SCORE, MAX_NODE_SCORE] after
 * NormalizeScore. The run stops at once with one line naming the plugin, the
 * extension point, the pod and the plugin's own message (the CLI's exit status 3),
 * because a benchmark that silently leaves pods Pending measures the bug, not the
 * policy.
 *
 * Upstream differs on purpose [kubesim choice]: kube-scheduler turns a failing Score
 * into an error status for that pod (FailedScheduling, retried with backoff) and a
 * panicking plugin crashes the process. A simulation has no operator to read the
 * event stream, so both stop the run here.
 */
export class PluginError extends Error {
  override readonly name = "PluginError";

  constructor(
    /** The plugin's KubeSchedulerConfiguration name. */
    readonly plugin: string,
    /** Upstream's extension point name: "Filter", "Score", "NormalizeScore", ... */
    readonly point: string,
    /** The pod of the cycle as namespace/name ("" when the caller did not name it). */
    readonly pod: string,
    /** What went wrong, in the plugin's words (the first line of its error) or upstream's. */
    readonly detail: string,
    /** The plugin's stack trace when it threw an Error, else "". */
    readonly pluginStack = "",
  ) {
    super(`plugin ${plugin} failed at ${point}${pod === "" ? "" : ` for pod ${pod}`}: ${detail}`);
  }
}

/** The PluginError for an exception thrown by a plugin. */
export function thrownBy(plugin: string, point: string, pod: string, e: unknown): PluginError {
  if (e instanceof PluginError) return e;
  const err = e instanceof Error ? e : null;
  const text = err ? err.message : String(e);
  return new PluginError(plugin, point, pod, firstLine(text) || "(no message)", err?.stack ?? "");
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}
