// One map panel: a MapLibre map showing one view of the registry's layers, for the shared
// time window and area. The map wall holds 1, 2 or 4 of them.
import * as maplibregl from 'maplibre-gl';
import {isCameraLayer} from './enhance.js';
import {mapLocale} from './i18n.js';
import {BASE_SOURCE, FADE_LAYER, ORTHO, UNIT_OUTLINE, VIEW_SOURCE, buildStyle, sourceOf, tileUrls} from './style.js';

const TINT_SUBSYSTEM = 'planning'; // plans tint the base map in every view
const LIVE = 'live-events';
const CONES = 'camera-cones';
const DECORATION_SOURCES = [LIVE, CONES];
// The live layer is redrawn at once for an event after a quiet spell, then at most once per
// LIVE_DRAW_MS: a camera's stream (several events a second) would otherwise keep the map repainting.
const LIVE_DRAW_MS = 3000;

export class MapPanel {
  constructor(element, app, viewCode) {
    this.app = app;
    this.element = element;
    this.viewCode = viewCode;
    this.map = new maplibregl.Map({
      container: element,
      style: buildStyle(app.config.layers, app.origin, app.state.window, this.drawnLayers()),
      bounds: app.config.bounds,
      fitBoundsOptions: {padding: 20},
      attributionControl: {compact: true, customAttribution: 'Toàn Cảnh'},
      preserveDrawingBuffer: true, // screenshots of the wall
      fadeDuration: 0, // labels appear at once: no repaint frames after each change (the wall PC idles)
      locale: mapLocale(), // the controls' titles in the page's language
    });
    this.map.addControl(new maplibregl.NavigationControl({visualizePitch: false}), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({unit: 'metric'}));
    this.ready = new Promise((resolve) => this.map.on('load', resolve)).then(() => this.addDecorations());
  }

  addDecorations() {
    const empty = {type: 'FeatureCollection', features: []};
    for (const id of DECORATION_SOURCES) this.map.addSource(id, {type: 'geojson', data: empty});
    this.map.addLayer({id: CONES, type: 'fill', source: CONES, layout: {visibility: 'none'},
      paint: {'fill-color': '#0984E3', 'fill-opacity': 0.16, 'fill-outline-color': '#0984E3'}}, firstSymbol(this.map));
    this.map.addLayer({id: LIVE, type: 'circle', source: LIVE, paint: {
      'circle-radius': 9, 'circle-color': ['coalesce', ['get', 'color'], '#ff3b30'], 'circle-opacity': 0.9,
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5}});
  }

  get view() {
    return this.app.config.views.find((view) => view.code === this.viewCode);
  }

  layersOf(view = this.view) {
    return this.app.config.layers.filter((layer) => view.layers.includes(layer.id));
  }

  // The layers the view source brings: the view's own and the plans that tint every view.
  drawnLayers(view = this.view) {
    return this.app.config.layers.filter((layer) => !layer.basemap
      && (view.layers.includes(layer.id) || layer.subsystem === TINT_SUBSYSTEM));
  }

  setSourceTiles(id, bust = '') {
    const layers = id === BASE_SOURCE ? this.app.config.layers.filter((layer) => layer.basemap) : this.drawnLayers();
    const urls = tileUrls(layers, this.app.origin, this.app.state.window);
    const wanted = urls.map((url) => url + (bust && `${url.includes('?') ? '&' : '?'}v=${bust}`));
    const source = this.map.getSource(id);
    if (source && layers.length && JSON.stringify(source.tiles) !== JSON.stringify(wanted)) source.setTiles(wanted);
  }

  setView(code) {
    this.viewCode = code;
    const view = this.view;
    for (const layer of this.app.config.layers) {
      const own = view.layers.includes(layer.id);
      const tint = layer.subsystem === TINT_SUBSYSTEM;
      const visible = layer.basemap || own || tint;
      this.setVisible(layer.id, visible);
      if (this.map.getLayer(`${layer.id}-label`)) this.setVisible(`${layer.id}-label`, layer.basemap || own);
      if (tint) this.map.setPaintProperty(layer.id, 'fill-opacity', own ? 0.72 : 0.18);
    }
    this.setVisible(CONES, this.layersOf().some(isCameraLayer));
    this.setSourceTiles(VIEW_SOURCE);
  }

  setVisible(id, visible) {
    if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }

  setOrthophoto(on) {
    this.setVisible(ORTHO, on);
  }

  setWindow() { // the app's window changed: the sources whose layers are time-filtered ask it
    for (const id of [BASE_SOURCE, VIEW_SOURCE]) this.setSourceTiles(id);
  }

  // Show the communes of one tree; fade the ones outside `selected` (ids), outline the unit.
  setUnits(treeIds, selected, unit) {
    const inTree = ['in', ['id'], ['literal', treeIds]];
    const units = this.app.config.layers.find((layer) => layer.basemap && layer.geometry_type.endsWith('Polygon')
      && layer.style.kind === 'line');
    for (const id of [units?.id, `${units?.id}-label`, FADE_LAYER]) if (this.map.getLayer(id)) this.map.setFilter(id, inTree);
    const fade = selected ? ['case', ['in', ['id'], ['literal', selected]], 0, 0.68] : 0;
    this.map.setPaintProperty(FADE_LAYER, 'fill-opacity', fade);
    this.map.setFilter(UNIT_OUTLINE, selected ? ['in', ['id'], ['literal', selected]] : ['==', ['id'], -1]);
    if (unit?.bbox) {
      const [w, s, e, n] = unit.bbox;
      this.map.fitBounds([[w, s], [e, n]], {padding: 30, duration: 600});
    }
  }

  setData(source, collection) {
    this.map.getSource(source)?.setData(collection);
  }

  setCones(collection) {
    this.setData(CONES, collection);
  }

  // The live feed's latest events (live.js: appended as they come, the oldest dropped past its size).
  setLive(collection) {
    this.pendingLive = collection;
    if (this.liveTimer) return;
    this.drawLive();
  }

  drawLive() {
    if (!this.pendingLive) {
      this.liveTimer = null;
      return;
    }
    this.setData(LIVE, this.pendingLive);
    this.pendingLive = null;
    this.liveTimer = setTimeout(() => this.drawLive(), LIVE_DRAW_MS);
  }

  // Reload a layer's tiles (after an edit), keeping the current window.
  refresh(layerId) {
    const layer = this.app.config.layers.find((candidate) => candidate.id === layerId);
    if (layer) this.setSourceTiles(sourceOf(layer), Date.now());
  }

  features(layerId) {
    return this.map.queryRenderedFeatures({layers: [layerId]});
  }
}

function firstSymbol(map) {
  return map.getStyle().layers.find((layer) => layer.type === 'symbol')?.id;
}
