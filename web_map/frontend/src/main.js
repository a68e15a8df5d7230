// Map wall entry point: the map from the registry's layers, centred on the city.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import {t} from './i18n.js';
import {buildStyle} from './style.js';

maplibregl.setWorkerUrl(workerUrl);

async function start() {
  document.title = t('title');
  const response = await fetch('/api/layers', {credentials: 'same-origin'});
  const config = await response.json();
  const map = new maplibregl.Map({
    container: 'map',
    style: buildStyle(config.layers, window.location.origin),
    bounds: config.bounds,
    attributionControl: {customAttribution: 'Toàn Cảnh'},
  });
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({unit: 'metric'}));
  window.ioc = {map, config};
}

start();
