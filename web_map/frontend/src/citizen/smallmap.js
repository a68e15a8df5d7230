// A small map on the wall's own base map (the registry's base layers, local tiles and glyphs):
// nothing comes from the internet.
import * as maplibregl from 'maplibre-gl';
import {getJSON} from '../api.js';
import {buildStyle} from '../style.js';

// A map in `container` over the city (or around `center`); resolves once its style is loaded.
export async function smallMap(container, {center = null, zoom = 15, interactive = true} = {}) {
  const config = await getJSON('/api/layers');
  const base = config.layers.filter((layer) => layer.basemap);
  const map = new maplibregl.Map({
    container, style: buildStyle(base, window.location.origin, null), interactive,
    ...(center ? {center, zoom} : {bounds: config.bounds, fitBoundsOptions: {padding: 10}}),
    attributionControl: {compact: true}, dragRotate: false, pitchWithRotate: false,
  });
  if (interactive) map.addControl(new maplibregl.NavigationControl({showCompass: false}), 'top-right');
  await new Promise((resolve) => map.on('load', resolve));
  return map;
}

// A marker that `place` moves (and shows) at [lon, lat].
export function pointMarker(map) {
  const marker = new maplibregl.Marker({color: '#c0392b'});
  let shown = false;
  return {
    marker,
    place(lngLat) {
      marker.setLngLat(lngLat);
      if (!shown) marker.addTo(map);
      shown = true;
    },
  };
}
