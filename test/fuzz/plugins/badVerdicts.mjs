// A custom plugin whose filter writes status codes that do not exist, and returns a string.
export const name = "BadVerdicts";
export function create() {
  return {
    name,
    filter(state, pod, nodes, count, out) {
      for (let i = 0; i < count; i++) out[i] = 7 + 16 * 40;
      return "ok";
    },
  };
}
