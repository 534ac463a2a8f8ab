/**
 * A scheduling profile at run time: its plugin instances grouped by extension point,
 * in execution order, with the Score weights (upstream frameworkImpl in
 * pkg/scheduler/framework/runtime/framework.go: NewFramework fills preFilterPlugins,
 * filterPlugins, ..., scorePluginWeight from the profile's plugin sets).
 *
 * Built once per profile (registry.ts buildProfile); the cycle only reads it. A
 * failing plugin is reported by its index into `plugins` (the profile's plugin
 * list), so the cycle and the queue pass small integers around and a name is looked
 * up only where a message is printed.
 */
import {
  type BindPlugin,
  type FilterPlugin,
  type Plugin,
  type PostFilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
  isBind,
  isFilter,
  isPostFilter,
  isPreFilter,
  isPreScore,
  isQueueSort,
  isReserve,
  isScore,
} from "./framework.js";

/** One entry of a profile's plugin list. */
export interface ProfilePlugin {
  plugin: Plugin;
  /** Score weight (used only when the plugin scores). */
  weight: number;
  /** Extension points at which this plugin is disabled. */
  disabled?: readonly string[];
}

/** A profile's plugins grouped by extension point (framework.Framework). */
export class Profile {
  readonly queueSort: QueueSortPlugin | null;
  readonly preFilter: PreFilterPlugin[];
  readonly filter: FilterPlugin[];
  readonly postFilter: PostFilterPlugin[];
  readonly preScore: PreScorePlugin[];
  readonly score: ScorePlugin[];
  readonly scoreWeights: Int32Array;
  readonly reserve: ReservePlugin[];
  readonly bind: BindPlugin[];
  /** Per PreFilter plugin (preFilter order): its index in `plugins`. */
  readonly preFilterPluginIndex: Int32Array;
  /** Per Filter plugin (filter order): its index in `plugins`. */
  readonly filterPluginIndex: Int32Array;

  /**
   * @param plugins  in execution order, with their weights (Score only) and the
   *                 extension points at which each is disabled
   */
  constructor(
    readonly schedulerName: string,
    readonly plugins: readonly ProfilePlugin[],
    /** Profile percentageOfNodesToScore, undefined when unset (the global one applies). */
    readonly percentageOfNodesToScore?: number,
    /** Optional exact plugin order per extension point (names); overrides `plugins` order there. */
    points?: Partial<Record<string, readonly string[]>>,
  ) {
    const at = (point: string, has: (p: Plugin) => boolean) => {
      const order = points?.[point];
      const list = order
        ? order.map((n) => plugins.find((e) => e.plugin.name === n)).filter((e): e is ProfilePlugin => e !== undefined)
        : plugins.filter((e) => !(e.disabled ?? []).includes(point));
      return list.filter((e) => has(e.plugin));
    };
    const qs = at("queueSort", isQueueSort);
    this.queueSort = qs.length > 0 ? (qs[0].plugin as QueueSortPlugin) : null;
    this.preFilter = at("preFilter", isPreFilter).map((e) => e.plugin as PreFilterPlugin);
    this.filter = at("filter", isFilter).map((e) => e.plugin as FilterPlugin);
    this.postFilter = at("postFilter", isPostFilter).map((e) => e.plugin as PostFilterPlugin);
    this.preScore = at("preScore", isPreScore).map((e) => e.plugin as PreScorePlugin);
    const scoring = at("score", isScore);
    this.score = scoring.map((e) => e.plugin as ScorePlugin);
    this.scoreWeights = Int32Array.from(scoring.map((e) => e.weight));
    this.reserve = at("reserve", isReserve).map((e) => e.plugin as ReservePlugin);
    this.bind = at("bind", isBind).map((e) => e.plugin as BindPlugin);
    const indexOf = (p: Plugin) => plugins.findIndex((e) => e.plugin === p);
    this.preFilterPluginIndex = Int32Array.from(this.preFilter, indexOf);
    this.filterPluginIndex = Int32Array.from(this.filter, indexOf);
  }

  plugin(name: string): Plugin | undefined {
    return this.plugins.find((e) => e.plugin.name === name)?.plugin;
  }

  /** The name of plugin `index` (an index into `plugins`), for messages. */
  pluginName(index: number): string {
    return this.plugins[index].plugin.name;
  }
}
