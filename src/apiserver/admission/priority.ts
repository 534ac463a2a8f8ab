/**
 * PriorityClasses and the Priority admission plugin (plugin/pkg/admission/priority,
 * pkg/apis/scheduling/validation):
 *
 * - the API server creates the system classes system-cluster-critical (2,000,000,000)
 *   and system-node-critical (2,000,001,000); other names starting with "system-" are
 *   reserved, and a user class may not exceed 1,000,000,000;
 * - at most one class is the globalDefault;
 * - a pod's priorityClassName resolves to spec.priority and spec.preemptionPolicy; a pod
 *   without one gets the globalDefault class (its name too), else priority 0; a pod that
 *   sets spec.priority or spec.preemptionPolicy to anything else than what its class
 *   gives is forbidden, as is a class name that does not exist.
 *
 * kubesim creates every PriorityClass of a scenario before any pod, whatever their order
 * in the file (as `kubectl apply` of a folder would, given time).
 */
import type { Pod, PriorityClass } from "../../model/types.js";
import { AdmissionError } from "./admissionError.js";
import { PREEMPT_LOWER_PRIORITY, setDefaultsPriorityClass } from "./defaults.js";
import { SYSTEM_CLUSTER_CRITICAL, SYSTEM_CRITICAL_PRIORITY, SYSTEM_NODE_CRITICAL } from "./validation/priorityClass.js";

export { HIGHEST_USER_DEFINABLE_PRIORITY, SYSTEM_CLUSTER_CRITICAL, SYSTEM_CRITICAL_PRIORITY, SYSTEM_NODE_CRITICAL, SYSTEM_PRIORITY_CLASS_PREFIX } from "./validation/priorityClass.js";

/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS = 0;

/** The classes the API server creates at start-up (scheduling.SystemPriorityClasses()). */
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: SYSTEM_NODE_CRITICAL }, value: SYSTEM_CRITICAL_PRIORITY + 1000, preemptionPolicy: PREEMPT_LOWER_PRIORITY },
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: SYSTEM_CLUSTER_CRITICAL }, value: SYSTEM_CRITICAL_PRIORITY, preemptionPolicy: PREEMPT_LOWER_PRIORITY },
];

export class PriorityClasses {
  private readonly byName = new Map<string, PriorityClass>();
  private globalDefault: PriorityClass | undefined;

  constructor() {
    for (const pc of SYSTEM_PRIORITY_CLASSES) this.byName.set(pc.metadata!.name!, pc);
  }

  /** Create a validated class (defaulting, the single-default rule). */
  create(input: PriorityClass): void {
    const pc = setDefaultsPriorityClass(input);
    const name = pc.metadata?.name ?? "";
    // `kubectl get priorityclasses -o yaml` lists the system classes (validation let them through as they are).
    if (SYSTEM_PRIORITY_CLASSES.some((s) => s.metadata!.name === name)) return;
    if (this.byName.has(name)) throw new AdmissionError(["metadata", "name"], `priorityclasses.scheduling.k8s.io "${name}" already exists`);
    if (pc.globalDefault) {
      if (this.globalDefault) throw new AdmissionError(["globalDefault"], `PriorityClass ${this.globalDefault.metadata!.name} is already marked as default. Only one default can exist`);
      this.globalDefault = pc;
    }
    this.byName.set(name, pc);
  }

  get(name: string): PriorityClass | undefined {
    return this.byName.get(name);
  }

  /** Admit a pod being created: its resolved priorityClassName, priority and preemptionPolicy (a copy). */
  admitPod(pod: Pod): Pod {
    const spec = pod.spec ?? { containers: [] };
    let className = spec.priorityClassName ?? "";
    let priority = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS;
    let preemptionPolicy: string | undefined;
    if (className === "") {
      if (this.globalDefault) {
        className = this.globalDefault.metadata!.name!;
        priority = this.globalDefault.value;
        preemptionPolicy = this.globalDefault.preemptionPolicy;
      }
    } else {
      const pc = this.byName.get(className);
      if (!pc) throw new AdmissionError(["spec", "priorityClassName"], `no PriorityClass with name ${className} was found`);
      priority = pc.value;
      preemptionPolicy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== priority) {
      throw new AdmissionError(["spec", "priority"], `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
    }
    if (preemptionPolicy !== undefined && spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== preemptionPolicy) {
      throw new AdmissionError(["spec", "preemptionPolicy"], `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
    }
    const out = { ...spec, priority };
    if (className !== "") out.priorityClassName = className;
    if (preemptionPolicy !== undefined) out.preemptionPolicy = preemptionPolicy;
    return { ...pod, spec: out };
  }
}
