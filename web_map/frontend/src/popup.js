// Click popups: the full feature from the OGC API, with field labels and coded values in vi/en.
import * as maplibregl from 'maplibre-gl';
import {getJSON} from './api.js';
import {lang, title} from './i18n.js';
import {escapeHtml} from './text.js';

export async function showPopup(map, layer, featureId, lngLat) {
  const feature = await getJSON(`/ogc/collections/${layer.id}/items/${featureId}?f=json`);
  const rows = layer.fields.map((field) => {
    const value = feature.properties[field.name];
    if (value === null || value === undefined || value === '') return '';
    const coded = field.values?.[value];
    const shown = coded ? coded[lang() === 'en' ? 1 : 0] : value;
    return `<tr><th>${escapeHtml(title(field))}</th><td>${escapeHtml(shown)}</td></tr>`;
  }).join('');
  return new maplibregl.Popup({maxWidth: '340px'}).setLngLat(lngLat)
    .setHTML(`<h3>${escapeHtml(title(layer))} #${escapeHtml(featureId)}</h3><table class="props">${rows}</table>`)
    .addTo(map);
}
