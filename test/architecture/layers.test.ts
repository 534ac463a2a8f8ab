/**
 * The house's rule (DESIGN.md "Layers and the house"): imports flow downward only, and
 * the components (one folder per Kubernetes component) talk to each other through the API
 * server, never by importing each other. Read from the sources, so a new upward import
 * fails here with the file and the import that break the rule.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

/** Lower rank = lower layer. Folders of one rank may not import each other. */
const RANK: Record<string, number> = {
  engine: 0,
  model: 1,
  metrics: 2,
  infra: 3,
  etcd: 4,
  apiserver: 5,
  client: 6,
  scheduler: 7,
  controllers: 7,
  kubelet: 7,
  cloud: 7,
  proxy: 7,
  experiments: 8,
  run: 9,
  scenario: 10,
  // Reads result folders (CSV, manifest.json) into an HTML page: beside scenario/, below the
  // CLI, above everything a run is made of, so no simulation code can import it.
  report: 10,
  cli: 11,
  "index.ts": 12,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

const folderOf = (file: string) => relative("src", file).split(sep)[0];

describe("layers", () => {
  const files = sources("src");

  it("every top-level folder of src/ has a rank", () => {
    expect(files.map(folderOf).filter((f) => RANK[f] === undefined)).toEqual([]);
  });

  it("no file imports from a higher layer or from another component of its rank", () => {
    const broken: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const m of readFileSync(file, "utf8").matchAll(/from "(\.\.?\/[^"]+)"/g)) {
        const to = folderOf(relative(".", join(file, "..", m[1])));
        if (to === from) continue;
        if (RANK[to] > RANK[from] || (RANK[to] === RANK[from] && to !== from)) broken.push(`${file} imports ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
