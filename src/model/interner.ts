/**
 * Interns strings to small dense integers (label keys, key=value pairs, taints,
 * resource names), so hot loops compare numbers, never strings.
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  /** The id of `s`, assigning the next one if it is new. */
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    return id;
  }

  /** The id of `s`, or -1 if it was never interned (lookups must not grow the table). */
  peek(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  name(id: number): string {
    return this.strings[id];
  }

  get size(): number {
    return this.strings.length;
  }
}
