/**
 * Progress of a run on stderr: a bar (cli-progress) only when stderr is a terminal
 * and the run has already taken more than a second of wall-clock time, so short runs
 * and redirected output stay clean. Wall-clock reads live here, in the CLI, never
 * in simulation code.
 */
import cliProgress from "cli-progress";

const SHOW_AFTER_MS = 1000;

export class RunProgress {
  private bar: cliProgress.SingleBar | undefined;
  private readonly startedMs = performance.now();

  constructor(
    private readonly totalS: number,
    private readonly enabled: boolean,
  ) {}

  update(simS: number): void {
    if (!this.enabled) return;
    if (!this.bar) {
      if (performance.now() - this.startedMs < SHOW_AFTER_MS) return;
      this.bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: "simulating [{bar}] {percentage}% | {value}/{total} s of virtual time | ETA {eta}s", hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Math.round(this.totalS), 0);
    }
    this.bar.update(Math.round(simS));
  }

  stop(): void {
    this.bar?.stop();
  }
}
