/**
 * uPlot's browser build and stylesheet, read from the installed package so the page
 * carries them inline (no network, no CDN). Resolved through Node's module resolution
 * from this file, so it works from dist/ in the repository and from a global install.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface UplotAssets {
  script: string;
  css: string;
}

export function uplotAssets(): UplotAssets {
  const require = createRequire(import.meta.url);
  try {
    return {
      script: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
      css: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    };
  } catch (e) {
    // A broken install, not the user's input: an internal error (exit 1), still one line.
    throw new Error(`the uplot package (a dependency of kubesim) is missing or incomplete: ${(e as Error).message.split("\n")[0]}; reinstall kubesim`);
  }
}
