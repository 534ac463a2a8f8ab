// A custom plugin whose score dereferences what is not there (a TypeError from a user's plugin).
export const name = "ThrowsInScore";
export function create() {
  return {
    name,
    score(state, pod, nodes, count, out) {
      const missing = undefined;
      for (let i = 0; i < count; i++) out[i] = missing.value;
      return 0;
    },
  };
}
