/**
 * A sweep's progress on stderr: runs done of the total, as a bar (cli-progress), only
 * when stderr is a terminal and not --quiet, so redirected output stays clean.
 */
import cliProgress from "cli-progress";

export class SweepProgress {
  private readonly bar: cliProgress.SingleBar | undefined;

  constructor(total: number, enabled: boolean) {
    if (!enabled || total === 0) return;
    this.bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: "sweep [{bar}] {value}/{total} runs | ETA {eta}s", hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0);
  }

  runDone(): void {
    this.bar?.increment();
  }

  stop(): void {
    this.bar?.stop();
  }
}
