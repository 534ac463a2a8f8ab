// A custom plugin that accepts no args at all: create(args) throws a TypeError for any args
// (the loader's probe calls create(undefined), which succeeds).
export const name = "StrictArgs";
export function create(args) {
  if (args !== undefined) args.limit.toFixed(0);
  return {
    name,
    filter(state, pod, nodes, count, out) {
      for (let i = 0; i < count; i++) out[i] = 0;
    },
  };
}
