import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Write a benchmark's rows to results/bench/<name>.json (relative to the working directory). */
export function writeBenchResults(name: string, rows: unknown[]): void {
  const dir = join(process.cwd(), "results", "bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(rows, null, 2) + "\n");
  console.log(`wrote ${file}`);
}
