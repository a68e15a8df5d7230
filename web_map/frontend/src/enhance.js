// What a view adds to its registry layers, as their declarations in /api/layers ask: a choropleth
// for areas with metrics, point sizes from a metric over the window, late features ringed (the
// layer's deadline), and the renderers a style names (camera fields of view, a density ramp).
import {getJSON} from './api.js';
import {cone} from './geometry.js';
import {sourceOf} from './style.js';
import {datetimeParam, localIso} from './time.js';

export const CHOROPLETH_COLOURS = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'];

// Five equal-count classes of the values; [{min, max, color}].
export function classes(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return [];
  return CHOROPLETH_COLOURS.map((color, i) => ({
    color, min: sorted[Math.floor((i * (sorted.length - 1)) / 5)],
    max: sorted[Math.floor(((i + 1) * (sorted.length - 1)) / 5)],
  }));
}

function classOf(value, bins) {
  return (bins.find((bin) => value <= bin.max) || bins[bins.length - 1]).color;
}

// Areas coloured by an indicator's value for a month (the /api/indicators answer).
export function applyChoropleth(panel, layer, answer) {
  const id = `${layer.id}-choropleth`;
  const map = panel.map;
  const bins = classes(answer.values.map((row) => row.value));
  const colour = answer.values.length
    ? ['match', ['get', 'code'], ...answer.values.flatMap((row) => [row.code, classOf(row.value, bins)]), 'rgba(0,0,0,0)']
    : 'rgba(0,0,0,0)';
  if (!map.getLayer(id)) {
    map.addLayer({id, type: 'fill', source: sourceOf(layer), 'source-layer': layer.id,
      paint: {'fill-color': colour, 'fill-opacity': 0.78}}, 'units-fade');
  } else {
    map.setPaintProperty(id, 'fill-color', colour);
  }
  map.setLayoutProperty(id, 'visibility', 'visible');
  // the indicators may sit on the units of either structure (the demo's on the pre-2025 communes): the
  // whole city shows every unit with a value; a chosen unit keeps to its own tree
  map.setFilter(id, panel.app.state.unitId ? map.getFilter(layer.id) : null);
  return bins;
}

export function hideChoropleths(panel) {
  for (const layer of panel.app.config.layers) {
    const id = `${layer.id}-choropleth`;
    if (panel.map.getLayer(id)) panel.map.setLayoutProperty(id, 'visibility', 'none');
  }
}

// Points sized by their metric's total (or mean) over the window; returns the largest value.
export async function applyMetricSizes(panel, layer, window) {
  const metric = layer.metrics[0];
  const answer = await getJSON(`/api/metrics/${layer.id}/${metric.code}?datetime=${datetimeParam(window)}`);
  const entries = Object.entries(answer.values);
  const largest = Math.max(1, ...entries.map(([, value]) => value));
  const radius = entries.length
    ? ['match', ['id'], ...entries.flatMap(([id, value]) => [Number(id), 4 + 14 * Math.sqrt(value / largest)]), 4]
    : 5;
  panel.map.setPaintProperty(layer.id, 'circle-radius', radius);
  return {metric: answer.metric, largest};
}

// The layer's deadline rule (/api/layers `deadline`; the KPI panel counts the same rule,
// web_map/stats.py late()) as a MapLibre expression: still open (no done time, status not closed)
// past its due time at `nowIso`, or done after its due time. Times compare as local ISO strings.
export function overdueRule(deadline, nowIso) {
  const {due, done, status, closed} = deadline;
  return ['any',
    ['all', ['!', ['has', done]], ['!', ['in', ['get', status], ['literal', closed]]], ['has', due],
      ['<', ['get', due], nowIso]],
    ['all', ['has', done], ['has', due], ['>', ['get', done], ['get', due]]]];
}

// Late features get a thick dark ring and a larger dot.
export function applyOverdue(panel, layer, now = Date.now()) {
  if (!layer.deadline) return;
  const overdue = overdueRule(layer.deadline, localIso(now));
  panel.map.setPaintProperty(layer.id, 'circle-stroke-color', ['case', overdue, '#1e272e', '#ffffff']);
  panel.map.setPaintProperty(layer.id, 'circle-stroke-width', ['case', overdue, 3, 1]);
  panel.map.setPaintProperty(layer.id, 'circle-radius', ['case', overdue, 8, 5]);
}

// Camera positions with their field-of-view cones (from the OGC API, which the viewer may read);
// fetched once per page: cameras do not move with the time window.
const conesByLayer = new Map();

export function cameraCones(layer) {
  if (!conesByLayer.has(layer.id)) conesByLayer.set(layer.id, fetchCones(layer));
  return conesByLayer.get(layer.id);
}

async function fetchCones(layer) {
  const answer = await getJSON(`/ogc/collections/${layer.id}/items?f=json&limit=1000`);
  return {type: 'FeatureCollection', features: answer.features
    .filter((feature) => feature.geometry && feature.properties.fov_deg)
    .map((feature) => ({type: 'Feature', id: feature.id, properties: {status: feature.properties.status},
      geometry: {type: 'Polygon', coordinates: [cone(feature.geometry.coordinates, feature.properties.bearing_deg,
        feature.properties.fov_deg, feature.properties.range_m || 80)]}}))};
}

// Whether a layer's style names this renderer (layers.registry.Style.renderers).
export function renders(layer, name) {
  return (layer.style.renderers || []).includes(name);
}

export function isCameraLayer(layer) {
  return renders(layer, 'fov_cones');
}

// H3 density cells: shaded by their detection count; cells of several classes and hours stack up,
// so each is faint on its own.
export const DENSITY_RAMP = [[1, '#fee8c8'], [5, '#fdbb84'], [20, '#e34a33'], [60, '#7f0000']];

export function isDensityLayer(layer) {
  return renders(layer, 'density');
}

// The density ramp shades by the count the style always carries (its first `always` field).
export function applyDensity(panel, layer) {
  if (!isDensityLayer(layer)) return false;
  const count = layer.style.always[0];
  panel.map.setPaintProperty(layer.id, 'fill-color', ['interpolate', ['linear'], ['coalesce', ['get', count], 1],
    ...DENSITY_RAMP.flat()]);
  panel.map.setPaintProperty(layer.id, 'fill-opacity', 0.22);
  panel.map.setPaintProperty(layer.id, 'fill-outline-color', 'rgba(127, 0, 0, 0.12)');
  return true;
}
