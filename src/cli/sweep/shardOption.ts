/**
 * Which shard of a sweep this process runs: `--shard i/n` (i from 0), or in a
 * Kubernetes Indexed Job the pod's JOB_COMPLETION_INDEX as i with `--shards n` (the
 * Job's completions). JOB_COMPLETION_INDEX alone is refused: every pod of the Job
 * would run the whole sweep.
 */
import { UsageError } from "../errors.js";

export interface Shard {
  index: number;
  count: number;
}

/** The variable the Job controller sets in each pod of an Indexed Job (batch/v1 Job, completionMode: Indexed). */
export const JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

function nonNegativeInt(text: string): number | null {
  return /^\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

export function shardOf(shardFlag: string | undefined, shardsFlag: string | undefined, env: NodeJS.ProcessEnv): Shard | null {
  let count: number | null = null;
  if (shardsFlag !== undefined) {
    count = nonNegativeInt(shardsFlag);
    if (count === null || count < 1) throw new UsageError(`--shards: expected a positive number of shards, got ${JSON.stringify(shardsFlag)}`);
  }
  if (shardFlag !== undefined) {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(shardFlag);
    const index = m ? nonNegativeInt(m[1]) : null;
    const n = m ? nonNegativeInt(m[2]) : null;
    if (index === null || n === null || n < 1) throw new UsageError(`--shard: expected i/n with 0 <= i < n (e.g. 0/3), got ${JSON.stringify(shardFlag)}`);
    if (index >= n) throw new UsageError(`--shard: expected i/n with 0 <= i < n (shards are numbered from 0), got ${JSON.stringify(shardFlag)}`);
    if (count !== null && count !== n) throw new UsageError(`--shards: expected the n of --shard ${shardFlag}, got ${count}`);
    return { index, count: n };
  }
  const envIndex = env[JOB_COMPLETION_INDEX];
  if (envIndex !== undefined && envIndex !== "") {
    if (count === null) throw new UsageError(`--shards: expected the number of shards (the Job's completions) with ${JOB_COMPLETION_INDEX}=${envIndex} set, got none (give --shards n, or unset ${JOB_COMPLETION_INDEX} to run the whole sweep)`);
    const index = nonNegativeInt(envIndex);
    if (index === null || index >= count) throw new UsageError(`${JOB_COMPLETION_INDEX}: expected a shard index from 0 to ${count - 1} (--shards ${count}), got ${JSON.stringify(envIndex)}`);
    return { index, count };
  }
  if (count !== null) throw new UsageError(`--shards: expected --shard i/n or ${JOB_COMPLETION_INDEX} (in an Indexed Job) to say which shard to run, got neither`);
  return null;
}
