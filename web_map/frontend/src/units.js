// The administrative tree (province → district → commune) for drill-down: search, breadcrumbs,
// children, and which communes of the map belong to a unit.
import {fold} from './text.js';

export class UnitTree {
  constructor(answer) {
    this.units = answer.units;
    this.trees = answer.trees;
    this.byId = new Map(this.units.map((unit) => [unit.id, unit]));
    this.children = new Map();
    for (const unit of this.units) {
      if (unit.parent_id == null) continue;
      if (!this.children.has(unit.parent_id)) this.children.set(unit.parent_id, []);
      this.children.get(unit.parent_id).push(unit);
    }
  }

  get(id) {
    return this.byId.get(Number(id));
  }

  childrenOf(id) {
    return this.children.get(id) || [];
  }

  // The unit and its ancestors, root first.
  path(id) {
    const path = [];
    for (let unit = this.get(id); unit; unit = this.get(unit.parent_id)) path.unshift(unit);
    return path;
  }

  treeOf(id) {
    const root = this.path(id)[0];
    return this.trees.find((tree) => tree.root_id === root?.id) || this.defaultTree();
  }

  // The current structure (its root still valid: the post-2025 wards the city's figures use), then the
  // tree with the most communes.
  defaultTree() {
    const current = (tree) => (this.get(tree.root_id)?.valid_to ? 1 : 0);
    return [...this.trees].sort((a, b) => current(a) - current(b)
      || this.communes(b.root_id).length - this.communes(a.root_id).length)[0];
  }

  communes(id) {
    const unit = this.get(id);
    if (!unit) return [];
    if (unit.level === 'commune') return [unit];
    return this.childrenOf(unit.id).flatMap((child) => this.communes(child.id));
  }

  search(query, limit = 8) {
    const key = fold(query);
    if (!key) return [];
    const starts = (unit) => (unit.search.startsWith(key) ? 0 : 1);
    return this.units.filter((unit) => unit.search.includes(key))
      .sort((a, b) => starts(a) - starts(b) || levelRank(a) - levelRank(b)).slice(0, limit);
  }
}

const LEVELS = ['commune', 'district', 'province'];

function levelRank(unit) {
  return LEVELS.indexOf(unit.level);
}
