// A custom plugin whose filter throws (a bug in a user's plugin): kubesim must name the plugin, not crash.
export const name = "ThrowsInFilter";
export function create() {
  return {
    name,
    filter(state, pod, nodes, count, out) {
      throw new Error(`filter failed on ${count} nodes`);
    },
  };
}
