// Editing for land officials, through the editing API (OGC API – Features Part 4): pick a
// feature, change its attributes and vertices (terra-draw), save with If-Match. Nothing is saved
// silently: every save is first a dry run (?dry-run=true) that answers the old and new area, the
// gaps and overlaps with neighbours and whether the layer's editor rules ask for confirmation; a
// parcel the user may not edit opens read-only with the server's reason. History with restore, and
// the map "as of" a date and time (every page of the features in view).
import {TerraDraw, TerraDrawPolygonMode, TerraDrawSelectMode} from 'terra-draw';
import {TerraDrawMapLibreGLAdapter} from 'terra-draw-maplibre-gl-adapter';
import {ApiError, getJSON} from './api.js';
import {lang, number, t, title} from './i18n.js';
import {escapeHtml} from './text.js';

const AS_OF = 'as-of';
const CHECK = 'edit-check'; // gaps and overlaps of the pending save, drawn on the map
const GEOJSON = 'application/geo+json';
const PRECISION = 1e9; // terra-draw keeps at most 9 decimals
const DERIVED = new Set(['version', 'updated_at', 'created_at', 'area_m2']); // set by the server
const AS_OF_PAGE = 500; // features per page of the "as of" map (every page is read)
const ZONE = '+07:00'; // the platform's time zone (Asia/Ho_Chi_Minh) for the date-and-time picker

export class Editor {
  constructor(element, app, layer) {
    this.element = element;
    this.app = app;
    this.layer = layer;
    this.feature = null;
    this.etag = null;
    this.editable = false;
    this.asOfRequest = 0;
    element.innerHTML = `<h2>${escapeHtml(t('edit'))}: ${escapeHtml(title(layer))}</h2>
      <p id="edit-hint">${escapeHtml(t('editHint'))}</p>
      <form id="edit-form" hidden></form>
      <div id="edit-message" role="alert"></div>
      <section id="edit-confirm" role="dialog" aria-modal="true" hidden></section>
      <section id="edit-history" hidden></section>
      <div class="as-of"><label>${escapeHtml(t('asOf'))}
        <input type="datetime-local" id="as-of-date" step="60"></label>
        <button type="button" id="as-of-show">${escapeHtml(t('asOfShow'))}</button>
        <button type="button" id="as-of-now">${escapeHtml(t('asOfNow'))}</button></div>`;
    this.form = element.querySelector('#edit-form');
    this.message = element.querySelector('#edit-message');
    this.confirmBox = element.querySelector('#edit-confirm');
    this.historyBox = element.querySelector('#edit-history');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
    // one request when asked (the button, Enter), never one per keystroke in the picker
    const picker = element.querySelector('#as-of-date');
    element.querySelector('#as-of-show').addEventListener('click', () => this.showAsOf(picker.value));
    picker.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.showAsOf(picker.value);
    });
    element.querySelector('#as-of-now').addEventListener('click', () => {
      picker.value = '';
      this.showAsOf('');
    });
  }

  get map() {
    return this.app.panels[0].map;
  }

  url(id = this.feature?.id, tail = '') {
    return `/ogc/collections/${this.layer.id}/items/${id}${tail}`;
  }

  // A write to the editing API in the page's language; returns {response, body}.
  async write(method, url, body, query = '') {
    const response = await fetch(`${url}?lang=${lang()}${query}`, {
      method, credentials: 'same-origin',
      headers: {'Content-Type': GEOJSON, Accept: 'application/json', 'If-Match': this.etag,
        'X-CSRFToken': this.app.session.csrfToken},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {response, body: await response.json().catch(() => ({}))};
  }

  async pick(featureId) {
    const response = await fetch(`${this.url(featureId)}?f=json`, {credentials: 'same-origin', headers: {Accept: GEOJSON}});
    if (!response.ok) return this.say('error', (await response.json()).description);
    this.etag = response.headers.get('ETag');
    this.feature = await response.json();
    this.hideConfirm();
    this.clearHistory();
    // whether this user may edit this feature: the server's own answer to an empty dry run
    const probe = await this.write('PATCH', this.url(), {properties: {}}, '&dry-run=true');
    this.editable = probe.response.ok;
    this.ward = probe.body.ward?.name ?? probe.body.ward ?? null;
    this.renderForm();
    if (this.editable) {
      this.say('', '');
      this.startDrawing();
    } else {
      this.stopDrawing();
      this.refused(probe.response, probe.body);
    }
    await this.loadHistory();
  }

  renderForm() {
    const fields = this.layer.fields.filter((field) => this.layer.writable_fields.includes(field.name));
    const locked = this.editable ? '' : 'disabled';
    const input = (field) => {
      const value = this.feature.properties[field.name] ?? '';
      if (field.values) {
        return `<select name="${field.name}" ${locked}>${Object.entries(field.values).map(([code, labels]) =>
          `<option value="${escapeHtml(code)}" title="${escapeHtml(title({vi: labels[0], en: labels[1]}))}" ${code === String(value) ? 'selected' : ''}>${escapeHtml(code)} – ${escapeHtml(title({vi: labels[0], en: labels[1]}))}</option>`).join('')}</select>`;
      }
      return `<input name="${field.name}" value="${escapeHtml(value)}" ${locked}>`;
    };
    const area = this.feature.properties.area_m2;
    this.form.innerHTML = `<h3>#${this.feature.id} · ${escapeHtml(t('version'))} <span id="edit-version">${escapeHtml(this.feature.properties.version ?? '')}</span>
        ${this.editable ? '' : `<span class="read-only">${escapeHtml(t('editReadOnly'))}</span>`}</h3>
      ${this.ward ? `<p class="fact">${escapeHtml(t('commune'))}: <b id="edit-ward">${escapeHtml(this.ward)}</b>
        ${this.editable ? `<small>${escapeHtml(t('editWardFollows'))}</small>` : ''}</p>` : ''}
      ${area != null ? `<p class="fact">${escapeHtml(t('editArea'))}: <b id="edit-area">${number(area, 1)} m²</b></p>` : ''}
      ${fields.map((field) => `<label data-field="${field.name}">${escapeHtml(title(field))}${input(field)}</label>`).join('')}
      ${this.editable ? `<p class="hint">${escapeHtml(t('editGeometry'))}</p>
      <button type="submit" id="edit-save">${escapeHtml(t('save'))}</button>` : ''}
      <button type="button" id="edit-cancel">${escapeHtml(this.editable ? t('cancel') : t('close'))}</button>`;
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

  document() {
    const properties = {};
    for (const name of this.layer.writable_fields) {
      const element = this.form.elements[name];
      if (element) properties[name] = element.value === '' ? null : castLike(this.feature.properties[name], element.value);
    }
    return {type: 'Feature', geometry: this.geometry(), properties};
  }

  // Save: a dry run first; what needs confirming is shown and asked, anything refused is said.
  async save() {
    const document = this.document();
    const check = await this.write('PUT', this.url(), document, '&dry-run=true');
    if (!check.response.ok) return this.refused(check.response, check.body);
    this.drawCheck(check.body);
    if (check.body.confirm) return this.askConfirmation(check.body, document);
    return this.commit(document);
  }

  async commit(document) {
    this.hideConfirm();
    const {response, body} = await this.write('PUT', this.url(), document);
    if (!response.ok) return this.refused(response, body);
    this.saved(response, body, t('saved'));
  }

  saved(response, body, text) {
    this.etag = response.headers.get('ETag');
    this.feature = body;
    this.renderForm();
    this.startDrawing();
    this.say('saved', `${text} ${body.properties.version ?? ''}`);
    for (const panel of this.app.panels) panel.refresh(this.layer.id);
    return this.loadHistory();
  }

  // A refusal as the server words it, headed by its kind: a permission or a data problem.
  refused(response, body) {
    if (response.status === 412) return this.say('conflict', t('conflict'), true);
    const permission = response.status === 403 || body.problem === 'permission';
    const heading = permission ? t('refusedPermission') : t('invalid');
    this.say(permission ? 'permission' : 'error', `${heading}: ${body.description || response.status}`);
  }

  askConfirmation(check, document) {
    const {before, after, change} = check.area;
    const neighbours = (items) => items.map((item) => `${t('parcelShort')} ${item.parcel_no} ${t('sheetShort')} ${item.sheet_no}`).join(', ');
    const lines = [];
    if (check.reasons.includes('area')) {
      lines.push(`<p id="confirm-area">${escapeHtml(t('confirmArea'))}: <b>${number(before, 1)} m²</b> → <b>${number(after, 1)} m²</b>
        (${change > 0 ? '+' : ''}${number(change * 100, 0)}&nbsp;%, ${escapeHtml(t('confirmThreshold'))} ${number(check.area.threshold * 100, 0)}&nbsp;%)</p>`);
    }
    for (const gap of check.gaps) {
      lines.push(`<p class="gap">${escapeHtml(t('confirmGap'))} ${number(gap.area_m2, 1)} m²${gap.neighbours.length ? ` ${escapeHtml(t('nextTo'))} ${escapeHtml(neighbours(gap.neighbours))}` : ''}</p>`);
    }
    for (const overlap of check.overlaps) {
      lines.push(`<p class="overlap">${escapeHtml(t('confirmOverlap'))} ${escapeHtml(neighbours([overlap]))}: ${number(overlap.area_m2, 2)} m²</p>`);
    }
    this.confirmBox.innerHTML = `<h3>${escapeHtml(t('confirmTitle'))}</h3>${lines.join('')}
      <button type="button" id="edit-confirm-save">${escapeHtml(t('confirmSave'))}</button>
      <button type="button" id="edit-confirm-back">${escapeHtml(t('confirmBack'))}</button>`;
    this.confirmBox.hidden = false;
    this.confirmBox.querySelector('#edit-confirm-save').addEventListener('click', () => this.commit(document));
    this.confirmBox.querySelector('#edit-confirm-back').addEventListener('click', () => this.hideConfirm());
  }

  hideConfirm() {
    this.confirmBox.hidden = true;
    this.confirmBox.innerHTML = '';
    this.drawCheck(null);
  }

  // Gaps (red) and overlaps (orange) of the pending save on the map; null clears them.
  drawCheck(check) {
    const features = check ? [...check.gaps.map((gap) => ({type: 'Feature', geometry: gap.geometry, properties: {kind: 'gap'}})),
      ...check.overlaps.map((item) => ({type: 'Feature', geometry: item.geometry, properties: {kind: 'overlap'}}))] : [];
    const data = {type: 'FeatureCollection', features};
    const source = this.map.getSource(CHECK);
    if (source) return source.setData(data);
    if (!features.length) return;
    this.map.addSource(CHECK, {type: 'geojson', data});
    this.map.addLayer({id: CHECK, type: 'fill', source: CHECK, paint: {
      'fill-color': ['match', ['get', 'kind'], 'gap', '#e53935', '#ff9800'], 'fill-opacity': 0.7}});
  }

  say(kind, text, reload = false) {
    this.message.className = kind;
    this.message.innerHTML = text ? `${escapeHtml(text)}${reload ? ` <button type="button" id="edit-reload">${escapeHtml(t('reload'))}</button>` : ''}` : '';
    this.message.querySelector('#edit-reload')?.addEventListener('click', () => this.pick(this.feature.id));
  }

  async loadHistory() {
    try {
      const history = await getJSON(this.url(undefined, '/history'));
      const label = (name) => (name === 'geometry' ? t('geometry')
        : title(this.layer.fields.find((field) => field.name === name) || {vi: name, en: name}));
      const changed = (entry) => Object.keys(entry.changes).filter((name) => !DERIVED.has(name)).map(label).join(', ');
      const latest = history.versions.at(-1)?.id;
      const restorable = (entry) => this.editable && entry.after && entry.id !== latest;
      this.historyBox.innerHTML = `<h3>${escapeHtml(t('history'))}</h3><ol>${history.versions.slice().reverse().map((entry) => `
        <li data-version="${entry.version}"><b>${escapeHtml(t('version'))} ${escapeHtml(entry.version ?? '–')}</b>
          · ${escapeHtml(t(`op${entry.operation}`))} ${escapeHtml(t('by'))} ${escapeHtml((entry.actor || '?').replace(/^[a-z]+:/, ''))},
          ${escapeHtml(entry.changedAt.slice(0, 16).replace('T', ' '))}
          ${restorable(entry) ? `<button type="button" class="restore" data-entry="${entry.id}">${escapeHtml(t('restore'))}</button>` : ''}
          <small>${escapeHtml(changed(entry))}</small></li>`).join('')}</ol>`;
      this.historyBox.hidden = false;
      for (const button of this.historyBox.querySelectorAll('button.restore')) {
        button.addEventListener('click', () => this.restore(button.dataset.entry));
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      this.clearHistory();
    }
  }

  clearHistory() {
    this.historyBox.hidden = true;
    this.historyBox.innerHTML = '';
  }

  async restore(entry) {
    const {response, body} = await this.write('POST', this.url(undefined, `/history/${entry}/restore`));
    if (!response.ok) return this.refused(response, body);
    return this.saved(response, body, t('restored'));
  }

  // The layer as it was at `moment` (a datetime-local value), every page of the features in view,
  // drawn instead of today's tiles; an answer overtaken by a later request is dropped.
  async showAsOf(moment) {
    const map = this.map;
    const request = ++this.asOfRequest;
    map.setLayoutProperty(this.layer.id, 'visibility', moment ? 'none' : 'visible');
    if (!moment) {
      if (map.getLayer(AS_OF)) map.removeLayer(AS_OF);
      if (map.getSource(AS_OF)) map.removeSource(AS_OF);
      return this.say('', '');
    }
    this.say('', t('loading'));
    const [[w, s], [e, n]] = map.getBounds().toArray();
    const asOf = moment.length === 10 ? moment : `${moment.length === 16 ? `${moment}:00` : moment}${ZONE}`;
    const features = [];
    let url = `/ogc/collections/${this.layer.id}/items?${new URLSearchParams({'as-of': asOf,
      bbox: [w, s, e, n].map((v) => v.toFixed(6)).join(','), limit: AS_OF_PAGE, f: 'json'})}`;
    try {
      while (url) {
        const page = await getJSON(url);
        if (request !== this.asOfRequest) return; // overtaken
        features.push(...page.features);
        url = page.links?.find((link) => link.rel === 'next')?.href ?? null;
      }
    } catch (error) {
      if (request === this.asOfRequest) this.say('error', error.message);
      return;
    }
    const data = {type: 'FeatureCollection', features};
    if (map.getSource(AS_OF)) {
      map.getSource(AS_OF).setData(data);
    } else {
      map.addSource(AS_OF, {type: 'geojson', data});
      map.addLayer({id: AS_OF, type: 'fill', source: AS_OF, paint: {'fill-color': '#f6c26b', 'fill-opacity': 0.6,
        'fill-outline-color': '#8a5a00'}}, 'units-fade');
    }
    this.say('', `${t('asOf')} ${moment.replace('T', ' ')}: ${number(features.length)} ${t('parcels')}`);
  }

  close() {
    this.stopDrawing();
    this.hideConfirm();
    this.form.hidden = true;
    this.clearHistory();
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
