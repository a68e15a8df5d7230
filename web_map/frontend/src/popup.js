// Click popups: the full feature from the OGC API, with the registry's field labels and coded values in
// vi/en, dates as dd/MM/yyyy HH:mm, wards by name, and for roles that may see camera frames the
// camera's latest frame and the evidence photos an incident's text links to.
import * as maplibregl from 'maplibre-gl';
import {getJSON} from './api.js';
import {lang, t, title} from './i18n.js';
import {escapeHtml} from './text.js';
import {localLabel} from './time.js';

export async function showPopup(map, layer, featureId, lngLat, units = null) {
  const feature = await getJSON(`/ogc/collections/${layer.id}/items/${featureId}?f=json`);
  const rows = layer.fields.map((field) => {
    const value = feature.properties[field.name];
    if (value === null || value === undefined || value === '') return '';
    return `<tr data-field="${escapeHtml(field.name)}"><th>${escapeHtml(title(field))}</th><td>${shown(field, value, units)}</td></tr>`;
  }).join('');
  const snapshot = layer.snapshot ? `<figure class="snapshot"><img src="${escapeHtml(layer.snapshot.replace('{id}', featureId))}"
      alt="${escapeHtml(t('snapshot'))}"><figcaption>${escapeHtml(t('snapshot'))}</figcaption></figure>` : '';
  const popup = new maplibregl.Popup({maxWidth: '360px'}).setLngLat(lngLat)
    .setHTML(`<h3>${escapeHtml(title(layer))} #${escapeHtml(featureId)}</h3>${snapshot}<table class="props">${rows}</table>`)
    .addTo(map);
  const frame = popup.getElement().querySelector('.snapshot');
  frame?.querySelector('img').addEventListener('error', () => { // no frame kept yet (404)
    frame.innerHTML = `<figcaption>${escapeHtml(t('noSnapshot'))}</figcaption>`;
  });
  return popup;
}

// A value as people read it: a coded value's label, a date, a ward's name, evidence links as photos.
function shown(field, value, units) {
  const coded = field.values?.[value];
  if (coded) return escapeHtml(coded[lang() === 'en' ? 1 : 0]);
  if (field.type === 'datetime') return escapeHtml(localLabel(Date.parse(value)));
  if (field.type === 'date') return escapeHtml(localLabel(Date.parse(value), false));
  if (field.refers === 'units') {
    const unit = units?.get(value);
    if (unit) return escapeHtml((lang() === 'en' && unit.name_en) || unit.name);
  }
  if (field.images && typeof value === 'string') return withPhotos(value, field.images);
  return escapeHtml(value);
}

function withPhotos(text, prefix) {
  const links = text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^\\s"'<>]+\\.jpg`, 'gi')) || [];
  const words = links.reduce((rest, link) => rest.replace(link, ''), text).replace(/[:\s]+$/, '');
  return `${escapeHtml(words)}${links.map((link) =>
    `<img class="evidence" src="${escapeHtml(link)}" alt="${escapeHtml(t('evidence'))}">`).join('')}`;
}
