/**
 * The raft soak in `npm test`: a few hundred random fault schedules (soak.ts) through the
 * running safety checker. The long run is `npm run soak:raft -- --schedules 100000`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { describeSchedule, runSoakSchedule, soakSchedule, type SoakResult } from "./soak.js";

const FIRST_SEED = 1;
const SCHEDULES = 400;

describe("raft soak: random crashes, restarts, partitions, one-way cuts, slow disks and message loss", () => {
  const results: SoakResult[] = [];
  beforeAll(() => {
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SCHEDULES; seed++) results.push(runSoakSchedule(soakSchedule(seed)));
  });
  const failed = (pred: (r: SoakResult) => boolean) =>
    results.filter(pred).map((r) => `seed ${r.seed} (npm run soak:raft -- --seed ${r.seed} --schedules 1 --verbose): ${r.message}\n${describeSchedule(soakSchedule(r.seed))}`);

  it(`no safety violation and no error in ${SCHEDULES} schedules`, () => {
    expect(failed((r) => r.outcome === "safety" || r.outcome === "error")).toEqual([]);
  });

  it("after the repair every schedule converges, except for the two known stalls of the model (soak.ts Stall)", () => {
    // Known today (model bugs, reported in issue 8): a follower whose MsgAppResp to a
    // snapshot was lost, or whose inflight window filled while it was down, is never caught up.
    const known = results.filter((r) => r.cause !== undefined);
    if (known.length > 0) console.log(`raft soak: ${known.length} of ${SCHEDULES} schedules hit a known stall: ${known.map((r) => `${r.seed} ${r.cause}`).join(", ")}`);
    expect(failed((r) => r.outcome === "liveness" && r.cause === undefined)).toEqual([]);
  });
});
