/**
 * The pluggable components of a run. The API server's state, the kubelets, the
 * ReplicaSet controller, the users and the control plane are always wired (run.ts);
 * the kube-scheduler is the one a test may replace (with a stand-in that binds at once,
 * or none, to watch pods stay Pending).
 */
import type { ComponentFactory } from "./context.js";
import { kubeSchedulerComponent } from "./kubeSchedulerComponent.js";

export type { Component, ComponentFactory, RunContext } from "./context.js";

export const DEFAULT_COMPONENTS: readonly ComponentFactory[] = [kubeSchedulerComponent];
