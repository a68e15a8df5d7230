// What a registry layer (from /api/layers) carries, for code that adapts to capabilities, not ids.
export function hasFields(layer, names) {
  const fields = new Set(layer.fields.map((field) => field.name));
  return names.every((name) => fields.has(name));
}
