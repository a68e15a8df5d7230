// Editing for land officials, through the editing API (OGC API – Features Part 4): pick a
// feature, change its attributes and vertices (terra-draw), save with If-Match; validation
// errors show in place, a stale save shows the conflict; history and the map "as of" a date.
import {TerraDraw, TerraDrawPolygonMode, TerraDrawSelectMode} from 'terra-draw';
import {TerraDrawMapLibreGLAdapter} from 'terra-draw-maplibre-gl-adapter';
import {ApiError, getJSON} from './api.js';
import {number, t, title} from './i18n.js';
import {escapeHtml} from './text.js';

const AS_OF = 'as-of';
const GEOJSON = 'application/geo+json';
const PRECISION = 1e9; // terra-draw keeps at most 9 decimals
const DERIVED = new Set(['version', 'updated_at', 'created_at', 'area_m2']); // set by the server

export class Editor {
  constructor(element, app, layer) {
    this.element = element;
    this.app = app;
    this.layer = layer;
    this.feature = null;
    this.etag = null;
    element.innerHTML = `<h2>${escapeHtml(t('edit'))}: ${escapeHtml(title(layer))}</h2>
      <p id="edit-hint">${escapeHtml(t('editHint'))}</p>
      <form id="edit-form" hidden></form>
      <div id="edit-message" role="alert"></div>
      <section id="edit-history" hidden></section>
      <label class="as-of">${escapeHtml(t('asOf'))} <input type="date" id="as-of-date"></label>
      <button type="button" id="as-of-now">${escapeHtml(t('asOfNow'))}</button>`;
    this.form = element.querySelector('#edit-form');
    this.message = element.querySelector('#edit-message');
    this.historyBox = element.querySelector('#edit-history');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
    element.querySelector('#as-of-date').addEventListener('change', (event) => this.showAsOf(event.target.value));
    element.querySelector('#as-of-now').addEventListener('click', () => this.showAsOf(''));
  }

  get map() {
    return this.app.panels[0].map;
  }

  url(id = this.feature?.id) {
    return `/ogc/collections/${this.layer.id}/items/${id}`;
  }

  async pick(featureId) {
    const response = await fetch(`${this.url(featureId)}?f=json`, {credentials: 'same-origin', headers: {Accept: GEOJSON}});
    if (!response.ok) return this.say('error', (await response.json()).description);
    this.etag = response.headers.get('ETag');
    this.feature = await response.json();
    this.say('', '');
    this.renderForm();
    this.startDrawing();
    await this.loadHistory();
  }

  renderForm() {
    const fields = this.layer.fields.filter((field) => this.layer.writable_fields.includes(field.name));
    const input = (field) => {
      const value = this.feature.properties[field.name] ?? '';
      if (field.values) {
        return `<select name="${field.name}">${Object.entries(field.values).map(([code, labels]) =>
          `<option value="${escapeHtml(code)}" ${code === String(value) ? 'selected' : ''}>${escapeHtml(code)} – ${escapeHtml(labels[0])}</option>`).join('')}</select>`;
      }
      return `<input name="${field.name}" value="${escapeHtml(value)}">`;
    };
    this.form.innerHTML = `<h3>#${this.feature.id} · ${escapeHtml(t('version'))} <span id="edit-version">${escapeHtml(this.feature.properties.version ?? '')}</span></h3>
      ${fields.map((field) => `<label data-field="${field.name}">${escapeHtml(title(field))}${input(field)}</label>`).join('')}
      <p class="hint">${escapeHtml(t('editGeometry'))}</p>
      <button type="submit" id="edit-save">${escapeHtml(t('save'))}</button>
      <button type="button" id="edit-cancel">${escapeHtml(t('cancel'))}</button>`;
    this.form.hidden = false;
    this.form.querySelector('#edit-cancel').addEventListener('click', () => this.close());
  }

  startDrawing() {
    this.stopDrawing();
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({map: this.map}),
      modes: [new TerraDrawPolygonMode(), new TerraDrawSelectMode({flags: {polygon: {feature: {
        draggable: false, coordinates: {midpoints: true, draggable: true, deletable: true}}}}})],
    });
    this.draw.start();
    this.draw.setMode('select');
    const rings = firstPolygon(this.feature.geometry);
    const [added] = this.draw.addFeatures([{type: 'Feature', geometry: {type: 'Polygon', coordinates: rings},
      properties: {mode: 'polygon'}}]);
    if (!added?.valid) return this.say('error', `${t('invalid')}: ${added?.reason || ''}`);
    this.drawnId = added.id;
    this.draw.selectFeature(added.id);
    window.ioc.draw = this.draw;
  }

  stopDrawing() {
    if (!this.draw) return;
    this.draw.stop();
    this.draw = null;
  }

  // The edited geometry as the layer's type (a MultiPolygon for parcels).
  geometry() {
    const drawn = this.draw?.getSnapshot().find((feature) => feature.id === this.drawnId)?.geometry;
    if (!drawn) return this.feature.geometry;
    return this.layer.geometry_type === 'MultiPolygon' ? {type: 'MultiPolygon', coordinates: [drawn.coordinates]} : drawn;
  }

  async save() {
    const properties = {};
    for (const name of this.layer.writable_fields) {
      const element = this.form.elements[name];
      if (element) properties[name] = element.value === '' ? null : castLike(this.feature.properties[name], element.value);
    }
    const response = await fetch(this.url(), {
      method: 'PUT', credentials: 'same-origin',
      headers: {'Content-Type': GEOJSON, Accept: GEOJSON, 'If-Match': this.etag, 'X-CSRFToken': this.app.session.csrfToken},
      body: JSON.stringify({type: 'Feature', geometry: this.geometry(), properties}),
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 412) return this.say('conflict', t('conflict'), true);
    if (!response.ok) return this.say('error', `${t('invalid')}: ${body.description || response.status}`);
    this.etag = response.headers.get('ETag');
    this.feature = body;
    this.form.querySelector('#edit-version').textContent = body.properties.version ?? '';
    this.say('saved', `${t('saved')} ${body.properties.version ?? ''}`);
    for (const panel of this.app.panels) panel.refresh(this.layer.id);
    await this.loadHistory();
  }

  say(kind, text, reload = false) {
    this.message.className = kind;
    this.message.innerHTML = text ? `${escapeHtml(text)}${reload ? ` <button type="button" id="edit-reload">${escapeHtml(t('reload'))}</button>` : ''}` : '';
    this.message.querySelector('#edit-reload')?.addEventListener('click', () => this.pick(this.feature.id));
  }

  async loadHistory() {
    try {
      const history = await getJSON(`${this.url()}/history`);
      const label = (name) => (name === 'geometry' ? t('geometry')
        : title(this.layer.fields.find((field) => field.name === name) || {vi: name, en: name}));
      const changed = (entry) => Object.keys(entry.changes).filter((name) => !DERIVED.has(name)).map(label).join(', ');
      this.historyBox.innerHTML = `<h3>${escapeHtml(t('history'))}</h3><ol>${history.versions.slice().reverse().map((entry) => `
        <li data-version="${entry.version}"><b>${escapeHtml(t('version'))} ${escapeHtml(entry.version ?? '–')}</b>
          · ${escapeHtml(t(`op${entry.operation}`))} ${escapeHtml(t('by'))} ${escapeHtml((entry.actor || '?').replace(/^[a-z]+:/, ''))},
          ${escapeHtml(entry.changedAt.slice(0, 16).replace('T', ' '))}
          <small>${escapeHtml(changed(entry))}</small></li>`).join('')}</ol>`;
      this.historyBox.hidden = false;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      this.historyBox.hidden = true;
    }
  }

  // The layer as it was on `date` (from the history), drawn instead of today's tiles.
  async showAsOf(date) {
    const map = this.map;
    if (map.getLayer(AS_OF)) map.removeLayer(AS_OF);
    if (map.getSource(AS_OF)) map.removeSource(AS_OF);
    map.setLayoutProperty(this.layer.id, 'visibility', date ? 'none' : 'visible');
    if (!date) return;
    const [[w, s], [e, n]] = map.getBounds().toArray();
    const answer = await getJSON(`/ogc/collections/${this.layer.id}/items?as-of=${date}&bbox=${[w, s, e, n].map((v) => v.toFixed(6))}&f=json`);
    map.addSource(AS_OF, {type: 'geojson', data: answer});
    map.addLayer({id: AS_OF, type: 'fill', source: AS_OF, paint: {'fill-color': '#f6c26b', 'fill-opacity': 0.6,
      'fill-outline-color': '#8a5a00'}}, 'units-fade');
    this.say('', `${t('asOf')} ${date}: ${number(answer.features.length)} ${t('parcels')}`);
  }

  close() {
    this.stopDrawing();
    this.form.hidden = true;
    this.historyBox.hidden = true;
    this.feature = null;
    this.say('', '');
  }
}

function firstPolygon(geometry) {
  const rings = geometry.type === 'MultiPolygon' ? geometry.coordinates[0] : geometry.coordinates;
  return rings.map((ring) => ring.map(([x, y]) => [Math.round(x * PRECISION) / PRECISION, Math.round(y * PRECISION) / PRECISION]));
}

function castLike(original, text) {
  return typeof original === 'number' && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}
