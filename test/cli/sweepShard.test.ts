/** Which shard a sweep runs: --shard i/n, or JOB_COMPLETION_INDEX (an Indexed Job's pod) with --shards n. */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/errors.js";
import { shardOf } from "../../src/cli/sweep/shardOption.js";

describe("shardOf", () => {
  it("no flags and no JOB_COMPLETION_INDEX: the whole sweep", () => {
    expect(shardOf(undefined, undefined, {})).toBeNull();
  });

  it("--shard i/n, with --shards n agreeing; --shard wins over the environment", () => {
    expect(shardOf("1/3", undefined, {})).toEqual({ index: 1, count: 3 });
    expect(shardOf(" 0 / 1 ", "1", {})).toEqual({ index: 0, count: 1 });
    expect(shardOf("2/3", undefined, { JOB_COMPLETION_INDEX: "0" })).toEqual({ index: 2, count: 3 });
  });

  it("JOB_COMPLETION_INDEX gives i, --shards n", () => {
    expect(shardOf(undefined, "3", { JOB_COMPLETION_INDEX: "2" })).toEqual({ index: 2, count: 3 });
    expect(shardOf(undefined, undefined, { JOB_COMPLETION_INDEX: "" })).toBeNull();
  });

  it("refuses, in one line naming the flag or the variable", () => {
    const refused = (shard: string | undefined, shards: string | undefined, env: NodeJS.ProcessEnv, message: string) => {
      expect(() => shardOf(shard, shards, env)).toThrow(UsageError);
      expect(() => shardOf(shard, shards, env)).toThrow(message);
    };
    refused("3/3", undefined, {}, '--shard: expected i/n with 0 <= i < n (shards are numbered from 0), got "3/3"');
    refused("1/0", undefined, {}, '--shard: expected i/n with 0 <= i < n (e.g. 0/3), got "1/0"');
    refused("one/3", undefined, {}, '--shard: expected i/n with 0 <= i < n (e.g. 0/3), got "one/3"');
    refused("1/3", "4", {}, "--shards: expected the n of --shard 1/3, got 4");
    refused(undefined, "0", {}, '--shards: expected a positive number of shards, got "0"');
    refused(undefined, "3", {}, "--shards: expected --shard i/n or JOB_COMPLETION_INDEX (in an Indexed Job) to say which shard to run, got neither");
    refused(undefined, "3", { JOB_COMPLETION_INDEX: "3" }, 'JOB_COMPLETION_INDEX: expected a shard index from 0 to 2 (--shards 3), got "3"');
    refused(undefined, undefined, { JOB_COMPLETION_INDEX: "1" }, "--shards: expected the number of shards (the Job's completions) with JOB_COMPLETION_INDEX=1 set, got none");
  });
});
