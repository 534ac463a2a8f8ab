/** kubesim's version, from the package.json above this file (src/ or dist/src/). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function kubesimVersion(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, "package.json");
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "kubesim") return (cached = pkg.version ?? "0.0.0");
    }
    dir = dirname(dir);
  }
  return (cached = "0.0.0");
}
