// The map style, built from the layer registry's JSON (/api/layers): no layer is listed here.
const PAINT = {
  fill: (layer) => ({'fill-color': colour(layer), 'fill-opacity': 0.75, 'fill-outline-color': '#7a6a5a'}),
  line: (layer) => ({'line-color': colour(layer), 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 17, 4]}),
  circle: (layer) => ({
    'circle-color': colour(layer), 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2.5, 17, 7],
    'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
  }),
};

function colour(layer) {
  const {by, legend, color} = layer.style;
  if (!by || !legend?.length) return color;
  return ['match', ['get', by], ...legend.flatMap((term) => [term.code, term.color]), color];
}

export function buildStyle(layers, origin) {
  const style = {
    version: 8,
    glyphs: `${origin}/static/web_map/glyphs/{fontstack}/{range}.pbf`,
    sources: {},
    layers: [{id: 'background', type: 'background', paint: {'background-color': '#f3f1ec'}}],
  };
  for (const layer of layers) {
    style.sources[layer.id] = {type: 'vector', url: `${origin}${layer.tilejson}`};
    style.layers.push({
      id: `${layer.id}-${layer.style.kind}`, type: layer.style.kind, source: layer.id, 'source-layer': layer.id,
      minzoom: layer.style.min_zoom, layout: {visibility: layer.basemap ? 'visible' : 'none'},
      paint: PAINT[layer.style.kind](layer),
    });
    if (layer.style.label) {
      style.layers.push({
        id: `${layer.id}-label`, type: 'symbol', source: layer.id, 'source-layer': layer.id,
        layout: {'text-field': ['get', layer.style.label], 'text-font': ['Noto Sans Regular'], 'text-size': 12,
          visibility: layer.basemap ? 'visible' : 'none'},
        paint: {'text-color': '#3a3a3a', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4},
      });
    }
  }
  return style;
}
