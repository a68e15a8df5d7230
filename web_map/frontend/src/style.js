// The map style, built from the layer registry's JSON (/api/layers): no layer is listed here.
import {datetimeParam} from './time.js';

const OUTLINE = '#7a6a5a';
export const FADE_LAYER = 'units-fade';
export const UNIT_OUTLINE = 'units-selected';
export const ORTHO = 'orthophoto';
const LABEL_PX = 12;

// The page's control scale (app.css --ui: 1, 1.5 on a 2.5K wall, 2 at 4K): labels drawn on the map
// grow with it, as the controls do, so a name reads from the operators' desks.
export function uiScale() {
  return parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--ui')) || 1;
}

const PAINT = {
  fill: (layer) => ({'fill-color': colour(layer), 'fill-opacity': 0.72, 'fill-outline-color': OUTLINE}),
  line: (layer) => ({'line-color': colour(layer), 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 17, 4]}),
  circle: (layer) => ({
    'circle-color': colour(layer), 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 17, 8],
    'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
  }),
};

export function colour(layer) {
  const {by, legend, color} = layer.style;
  if (!by || !legend?.length) return color;
  return ['match', ['get', by], ...legend.flatMap((term) => [term.code, term.color]), color];
}

// A panel draws its layers from two tile sources, one request per tile each (/tiles/a,b,c/…): the base
// layers (areas, roads: every view) and the layers of the panel's view (set again when the view changes).
export const BASE_SOURCE = 'base';
export const VIEW_SOURCE = 'view';

export function sourceOf(layer) {
  return layer.basemap ? BASE_SOURCE : VIEW_SOURCE;
}

// The tile URLs of layers drawn from one source; the time window when one of them is time-filtered.
export function tileUrls(layers, origin, window) {
  const query = layers.some((layer) => layer.time_filtered) && window ? `?datetime=${datetimeParam(window)}` : '';
  return [`${origin}/tiles/${layers.map((layer) => layer.id).join(',')}/{z}/{x}/{y}.pbf${query}`];
}

function source(layers, origin, window) {
  return {type: 'vector', tiles: tileUrls(layers, origin, window), minzoom: 0, maxzoom: 22,
    attribution: 'Toàn Cảnh'};
}

// Base layers are always shown; a view's layers only in that view (`drawn`: the layers of the panel's
// view, whose tiles the view source asks; the panel sets them again when its view changes).
export function buildStyle(layers, origin, window, drawn = []) {
  const style = {
    version: 8,
    glyphs: `${origin}/static/web_map/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      [BASE_SOURCE]: source(layers.filter((layer) => layer.basemap), origin, window),
      [ORTHO]: {type: 'raster', tileSize: 256, scheme: 'tms', maxzoom: 18, attribution: 'MapProxy',
        tiles: [`${origin}/mapproxy/tiles/orthophoto/webmercator/{z}/{x}/{y}.png`]},
    },
    layers: [
      {id: 'background', type: 'background', paint: {'background-color': '#f3f1ec'}},
      {id: ORTHO, type: 'raster', source: ORTHO, layout: {visibility: 'none'}},
    ],
  };
  // a view without layers of its own still names one (hidden: its tiles are never asked) for its layers' source
  const others = layers.filter((layer) => !layer.basemap);
  if (others.length) style.sources[VIEW_SOURCE] = source(drawn.length ? drawn : others.slice(0, 1), origin, window);
  // drawing order: areas, lines, points, then the fade over the other areas, then labels
  const groups = {fill: [], line: [], circle: [], fade: [], symbol: []};
  const ui = uiScale();
  for (const layer of layers) {
    const base = {source: sourceOf(layer), 'source-layer': layer.id, minzoom: layer.style.min_zoom};
    groups[layer.style.kind].push({id: layer.id, type: layer.style.kind, ...base,
      layout: {visibility: layer.basemap ? 'visible' : 'none'}, paint: PAINT[layer.style.kind](layer)});
    if (layer.basemap && layer.style.kind === 'line' && layer.geometry_type.endsWith('Polygon')) {
      // administrative areas: a clickable fill that also fades the areas outside the chosen one
      groups.fade.push({id: FADE_LAYER, type: 'fill', ...base, paint: {'fill-color': '#f3f1ec', 'fill-opacity': 0}});
      groups.fade.push({id: UNIT_OUTLINE, type: 'line', ...base, filter: ['==', ['id'], -1],
        paint: {'line-color': '#c0392b', 'line-width': 3}});
    }
    if (layer.style.label) {
      const along = layer.style.kind === 'line' && !layer.geometry_type.endsWith('Polygon');
      // point names only close up; area and road names from the city scale; labels of detail fields
      // (a parcel's "tờ/thửa") from the zoom where tiles carry them (label_zoom)
      const shown = Math.max(base.minzoom, layer.style.label_zoom ?? 0);
      const minzoom = layer.style.kind === 'circle' ? Math.max(shown, 15) : shown;
      groups.symbol.push({id: `${layer.id}-label`, type: 'symbol', ...base, minzoom,
        layout: {'text-field': labelText(layer.style.label), 'text-font': ['Noto Sans Regular'], 'text-size': LABEL_PX * ui,
          visibility: layer.basemap ? 'visible' : 'none', 'symbol-placement': along ? 'line' : 'point'},
        paint: {'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 * ui}});
    }
  }
  style.layers.push(...Object.values(groups).flat());
  return style;
}

// A label template of the registry ("{sheet_no}/{parcel_no}", "{name}") as a MapLibre expression.
export function labelText(template) {
  const parts = [...template.matchAll(/\{(\w+)\}|[^{}]+/g)]
    .map(([text, field]) => (field ? ['to-string', ['coalesce', ['get', field], '']] : text));
  return parts.length === 1 ? parts[0] : ['concat', ...parts];
}
