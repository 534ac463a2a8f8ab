/**
 * The API server's one door for the objects of a run: every object that enters (the
 * scenario's workloads and manifest files, `kubesim explain`'s inputs, and the pods the
 * controllers and users create as the run goes) is defaulted and admitted here, so the
 * scheduler, the kubelet and the metrics all read the same pod.
 *
 *   Pod:           SetDefaults_Pod / _PodSpec / _Container (defaults.ts), then the mutating
 *                  admission plugins in kube-apiserver's order: Priority (priority.ts),
 *                  DefaultTolerationSeconds (defaultTolerationSeconds.ts).
 *   Namespace:     SetDefaults_Namespace (the kubernetes.io/metadata.name label).
 *   PriorityClass: validation, SetDefaults_PriorityClass, one globalDefault.
 *
 * Namespaces: the API server starts with default, kube-system, kube-public and
 * kube-node-lease. Simplification: a namespace that a pod names but no Namespace object
 * creates is created on first use, as if `kubectl create namespace` had run first
 * (upstream's NamespaceLifecycle plugin would refuse the pod) — a `kubectl get pods -A`
 * export holds no Namespace objects.
 *
 * Admission reads nothing that changes during a run, so the pods of one template are
 * admitted once, as their template (see model/podTemplate.ts).
 */
import type { Namespace, Pod, PriorityClass } from "../../model/types.js";
import { addDefaultTolerationSeconds } from "./defaultTolerationSeconds.js";
import { setDefaultsNamespace, setDefaultsPod } from "./defaults.js";
import { AdmissionError, PriorityClasses } from "./priority.js";

export { AdmissionError } from "./priority.js";

/** The namespaces every cluster starts with (kube-apiserver's system namespaces controller). */
export const INITIAL_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

export class Admission {
  readonly priorityClasses = new PriorityClasses();
  private readonly namespaces = new Map<string, Namespace>();

  constructor() {
    for (const name of INITIAL_NAMESPACES) this.namespaces.set(name, setDefaultsNamespace({ metadata: { name } }));
  }

  createPriorityClass(pc: PriorityClass): void {
    this.priorityClasses.create(pc);
  }

  /** Create a Namespace (one of the initial ones given again takes the labels given). */
  createNamespace(ns: Namespace): void {
    const name = ns.metadata?.name ?? "";
    if (this.namespaces.has(name) && !(INITIAL_NAMESPACES as readonly string[]).includes(name)) {
      throw new AdmissionError("metadata.name", `namespaces "${name}" already exists`);
    }
    this.namespaces.set(name, setDefaultsNamespace(ns));
  }

  /** A pod being created: defaulted and admitted (a copy). Throws AdmissionError. */
  admitPod(pod: Pod): Pod {
    const namespace = pod.metadata?.namespace ?? "default";
    this.ensureNamespace(namespace);
    const withNamespace: Pod = { ...pod, metadata: { ...pod.metadata, namespace } };
    return addDefaultTolerationSeconds(this.priorityClasses.admitPod(setDefaultsPod(withNamespace)));
  }

  /**
   * A pod that exists already (a bound pod of a `kubectl get pods -o yaml` export): it was
   * admitted when it was created, so only defaulting applies, and a priority it lacks comes
   * from its class when that class is known (else 0).
   */
  storedPod(pod: Pod): Pod {
    const namespace = pod.metadata?.namespace ?? "default";
    this.ensureNamespace(namespace);
    const p = setDefaultsPod({ ...pod, metadata: { ...pod.metadata, namespace } });
    if (p.spec!.priority !== undefined) return p;
    const pc = p.spec!.priorityClassName ? this.priorityClasses.get(p.spec!.priorityClassName) : undefined;
    return { ...p, spec: { ...p.spec!, priority: pc?.value ?? 0 } };
  }

  /** Every namespace, in creation order. */
  namespaceList(): Namespace[] {
    return [...this.namespaces.values()];
  }

  private ensureNamespace(name: string): void {
    if (!this.namespaces.has(name)) this.namespaces.set(name, setDefaultsNamespace({ metadata: { name } }));
  }
}
