/**
 * The simulation kernel: a virtual clock in integer microseconds and the calendar.
 * Everything is built on four operations: `schedule`, `peek`, `step`, `run`.
 *
 * Handlers are registered once at set-up (`on`) and referred to by id afterwards,
 * so scheduling an event creates no closure.
 */
import { Calendar } from "./calendar.js";
import { RandomStreams } from "./random.js";

export type Handler = (a0: number, a1: number) => void;

/** Raised by a handler to end the run at once (e.g. a safety violation). */
export class StopSimulation extends Error {}

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

export class Simulation {
  /** Virtual time in microseconds. */
  now = 0;
  readonly calendar = new Calendar();
  readonly rng: RandomStreams;
  private handlers: Handler[] = [];
  private handlerNames: string[] = [];
  /** Events run so far. */
  eventsRun = 0;

  constructor(seed: number | string) {
    this.rng = new RandomStreams(seed);
  }

  /** Register a handler under a name (for diagnostics); returns its id. */
  on(name: string, handler: Handler): number {
    this.handlers.push(handler);
    this.handlerNames.push(name);
    return this.handlers.length - 1;
  }

  handlerName(id: number): string {
    return this.handlerNames[id] ?? `#${id}`;
  }

  /** Run handler `id` `delayUs` from now. Fire and forget: nothing is allocated. */
  schedule(delayUs: number, id: number, a0 = 0, a1 = 0): void {
    if (!(delayUs >= 0)) this.badDelay(delayUs, id);
    this.calendar.schedule(this.now + Math.round(delayUs), id, a0, a1);
  }

  /** Run handler `id` at absolute time `timeUs` (not before now). */
  scheduleAt(timeUs: number, id: number, a0 = 0, a1 = 0): void {
    this.calendar.schedule(this.checkedTime(timeUs, id), id, a0, a1);
  }

  /**
   * A timer: as `schedule`, returning a handle for `cancel` (a lease, an election
   * timeout, a pod's lifetime). The handle is a number beyond the small-integer range,
   * so it is boxed once per timer: use `schedule` for events never cancelled.
   */
  timer(delayUs: number, id: number, a0 = 0, a1 = 0): number {
    if (!(delayUs >= 0)) this.badDelay(delayUs, id);
    return this.calendar.scheduleCancellable(this.now + Math.round(delayUs), id, a0, a1);
  }

  /** A timer at absolute time `timeUs` (not before now). */
  timerAt(timeUs: number, id: number, a0 = 0, a1 = 0): number {
    return this.calendar.scheduleCancellable(this.checkedTime(timeUs, id), id, a0, a1);
  }

  // Kept out of line so that schedule() stays small enough for V8 to inline.
  private badDelay(delayUs: number, id: number): never {
    throw new RangeError(`negative or NaN delay ${delayUs} for ${this.handlerName(id)}`);
  }

  private checkedTime(timeUs: number, id: number): number {
    const t = Math.round(timeUs);
    if (!(t >= this.now)) throw new RangeError(`time ${timeUs} is before now (${this.now}) for ${this.handlerName(id)}`);
    return t;
  }

  cancel(handle: number): boolean {
    return this.calendar.cancel(handle);
  }

  /** Time of the next event, or Infinity. */
  peek(): number {
    return this.calendar.peek();
  }

  /** Run the next event. Returns false when none is left. */
  step(): boolean {
    const cal = this.calendar;
    if (!cal.pop()) return false;
    this.now = cal.time;
    this.eventsRun++;
    this.handlers[cal.handler](cal.a0, cal.a1);
    return true;
  }

  /**
   * Run every event with time <= `untilUs`, then leave the clock at `untilUs`.
   * Events scheduled at exactly `untilUs` run, whenever they were scheduled.
   */
  run(untilUs = Infinity): void {
    const cal = this.calendar;
    const handlers = this.handlers;
    while (cal.pop(untilUs)) {
      this.now = cal.time;
      this.eventsRun++;
      handlers[cal.handler](cal.a0, cal.a1);
    }
    if (untilUs !== Infinity && untilUs > this.now) this.now = untilUs;
  }
}
