/**
 * Image references as the kubelet's image manager uses them: a reference with neither
 * tag nor digest gets ":latest" (images.applyDefaultImageTag), so `nginx` and
 * `nginx:latest` are one image on a node, and the name the Node reports matches what
 * kube-scheduler's ImageLocality looks for (it normalizes the same way).
 */
export function normalizedImage(ref: string): string {
  if (ref.includes("@")) return ref;
  const slash = ref.lastIndexOf("/");
  return ref.lastIndexOf(":") > slash ? ref : `${ref}:latest`;
}
