import { ModelProjectError } from './errors.ts';
import { ancestorsOf, descendantsOf } from './graph.ts';
import type { ModelProject } from './project.ts';

/**
 * dbt's node selection, the part analysts use daily: `name`, `name+` (and everything downstream),
 * `+name` (and everything upstream), `+name+`, and `layer:marts`. Several selectors are a union.
 * Returns the selected names in build order.
 */
export function selectModels(project: ModelProject, selectors: readonly string[]): string[] {
  if (selectors.length === 0) return [...project.order];
  const chosen = new Set<string>();
  for (const raw of selectors.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean)) {
    const layer = /^layer:(\w+)$/.exec(raw);
    if (layer) {
      const inLayer = [...project.models.values()].filter((m) => m.layer === layer[1]);
      if (inLayer.length === 0) throw new ModelProjectError(`--select ${raw}: no models in layer ${layer[1]} (layers: staging, intermediate, marts)`);
      for (const model of inLayer) chosen.add(model.name);
      continue;
    }
    const match = /^(\+?)([a-z][a-z0-9_]*)(\+?)$/.exec(raw);
    if (!match) throw new ModelProjectError(`--select ${raw}: write a model name, optionally with + before (upstream) or after (downstream), or layer:NAME`);
    const [, upstream, name = '', downstream] = match;
    if (!project.models.has(name)) throw new ModelProjectError(`--select ${raw}: there is no model named ${name}`);
    chosen.add(name);
    if (upstream) for (const a of ancestorsOf(project.models, name)) chosen.add(a);
    if (downstream) for (const d of descendantsOf(project.models, name)) chosen.add(d);
  }
  return project.order.filter((name) => chosen.has(name));
}
