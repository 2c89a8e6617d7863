import { ModelProjectError } from './errors.ts';

interface Node {
  readonly name: string;
  readonly refs: readonly string[];
}

/**
 * Topological order (Kahn's algorithm), ties broken by name so builds are reproducible.
 * A cycle is reported with the models on it, in order, so it can be broken where it makes sense.
 */
export function orderModels(models: ReadonlyMap<string, Node>): string[] {
  const remainingParents = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const model of models.values()) {
    remainingParents.set(model.name, model.refs.length);
    for (const parent of model.refs) children.set(parent, [...(children.get(parent) ?? []), model.name]);
  }
  const ready = [...models.keys()].filter((name) => remainingParents.get(name) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift() as string;
    order.push(name);
    for (const child of children.get(name) ?? []) {
      const left = (remainingParents.get(child) ?? 0) - 1;
      remainingParents.set(child, left);
      if (left === 0) {
        ready.push(child);
        ready.sort();
      }
    }
  }
  if (order.length < models.size) {
    const cycle = findCycle(models, new Set(order));
    throw new ModelProjectError(`dependency cycle between models: ${cycle.join(' → ')}`);
  }
  return order;
}

function findCycle(models: ReadonlyMap<string, Node>, done: ReadonlySet<string>): string[] {
  const state = new Map<string, 'visiting' | 'visited'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    if (state.get(name) === 'visited' || done.has(name)) return undefined;
    state.set(name, 'visiting');
    path.push(name);
    for (const parent of models.get(name)?.refs ?? []) {
      const cycle = visit(parent);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'visited');
    return undefined;
  };
  for (const name of [...models.keys()].sort()) {
    const cycle = visit(name);
    // the walk follows refs (child → parent); reverse so the message reads in build order
    if (cycle) return cycle.reverse();
  }
  return [];
}

/** Every model that depends on `name`, directly or not. */
export function descendantsOf(models: ReadonlyMap<string, Node>, name: string): Set<string> {
  const found = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const model of models.values()) {
      if (model.refs.includes(current) && !found.has(model.name)) {
        found.add(model.name);
        stack.push(model.name);
      }
    }
  }
  return found;
}

/** Every model `name` depends on, directly or not. */
export function ancestorsOf(models: ReadonlyMap<string, Node>, name: string): Set<string> {
  const found = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const parent of models.get(current)?.refs ?? []) {
      if (!found.has(parent)) {
        found.add(parent);
        stack.push(parent);
      }
    }
  }
  return found;
}
