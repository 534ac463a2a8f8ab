/**
 * Progress on stderr: a bar (cli-progress) only when stderr is a terminal and the work
 * has already taken more than a second of wall-clock time, so short commands and
 * redirected output stay clean. Wall-clock reads live here, in the CLI, never in
 * simulation code. RunProgress follows a run's virtual time; SearchProgress the
 * capacity search's placements (counts of new nodes tried, cases of each).
 */
import cliProgress from "cli-progress";
import type { SearchStatus } from "../experiments/capacity/nodesNeeded.js";

const SHOW_AFTER_MS = 1000;

/** A bar that appears after SHOW_AFTER_MS, when enabled; the format's {fields} come from the payload. */
class DelayedBar {
  private bar: cliProgress.SingleBar | undefined;
  private readonly startedMs = performance.now();

  constructor(
    private readonly format: string,
    private readonly enabled: boolean,
  ) {}

  update(value: number, total: number, payload: Record<string, string | number> = {}): void {
    if (!this.enabled) return;
    if (!this.bar) {
      if (performance.now() - this.startedMs < SHOW_AFTER_MS) return;
      this.bar = new cliProgress.SingleBar({ stream: process.stderr, format: this.format, hideCursor: true }, cliProgress.Presets.shades_classic);
      this.bar.start(total, value, payload);
      return;
    }
    this.bar.setTotal(total);
    this.bar.update(value, payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}

export class RunProgress {
  private readonly bar: DelayedBar;

  constructor(
    private readonly totalS: number,
    enabled: boolean,
  ) {
    this.bar = new DelayedBar("simulating [{bar}] {percentage}% | {value}/{total} s of virtual time | ETA {eta}s", enabled);
  }

  update(simS: number): void {
    this.bar.update(Math.round(simS), Math.round(this.totalS));
  }

  stop(): void {
    this.bar.stop();
  }
}

export class SearchProgress {
  private readonly bar: DelayedBar;

  constructor(enabled: boolean) {
    this.bar = new DelayedBar("searching [{bar}] {value}/{total} cases with {count} new nodes | {tried} counts tried, {bracket}", enabled);
  }

  update(s: SearchStatus): void {
    const bracket = s.fitsAt === undefined ? `fewer than ${(s.failsAt ?? -1) + 1} do not fit` : `the answer is in ${(s.failsAt ?? -1) + 1}..${s.fitsAt}`;
    this.bar.update(s.casesDone, s.cases, { count: s.count, tried: s.tried, bracket: s.failsAt === undefined && s.fitsAt === undefined ? "none known yet" : bracket });
  }

  stop(): void {
    this.bar.stop();
  }
}
