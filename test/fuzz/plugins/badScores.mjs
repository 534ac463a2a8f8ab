// A custom plugin that writes scores outside 0..100 (NaN, negative, huge) and says it succeeded.
export const name = "BadScores";
const WRONG = [NaN, -1, 1e9, Infinity];
export function create() {
  return {
    name,
    score(state, pod, nodes, count, out) {
      for (let i = 0; i < count; i++) out[i] = WRONG[i % WRONG.length];
      return 0;
    },
  };
}
