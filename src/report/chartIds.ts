/** Element ids for charts and tables: readable, unique in one page. */
export class ChartIds {
  private readonly used = new Set<string>();

  next(hint: string): string {
    const base = `c-${hint.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}` || "c";
    let id = base;
    for (let k = 2; this.used.has(id); k++) id = `${base}-${k}`;
    this.used.add(id);
    return id;
  }
}
