// The operator's feedback desk beside the map: the queue of citizen reports (filters, bulk assign),
// one report's case file with the moves this viewer may make, and a hotline call entered on a
// citizen's behalf. Lists and case files come from /api/desk/; a single move is a PATCH of the
// report through the editing API (If-Match: its version), the same path as every other editor.
import * as maplibregl from 'maplibre-gl';
import {getJSON, send} from './api.js';
import {lang, number, t} from './i18n.js';
import {escapeHtml} from './text.js';
import {datetimeParam, localLabel} from './time.js';

const DESK_ROLES = ['operator', 'leader', 'unit_staff', 'administrator'];
const OPEN = ['received', 'assigned', 'in_progress', 'waiting'];
const NEW_MS = 30000; // how long a report that just arrived stays marked as new
const POLL_MS = 30000; // changes made elsewhere (another operator, a unit) show within this time
const PANEL = 'desk'; // the layer declaring this panel (Layer.panel) holds the reports

const pick = (row, name) => row[`${name}_${lang()}`] ?? row[name]; // status_vi / status_en …
const when = (iso) => (iso ? localLabel(Date.parse(iso)) : '');

export function deskAllowed(session) {
  return (session.roles || []).some((role) => DESK_ROLES.includes(role));
}

export class Desk {
  constructor(element, app) {
    this.element = element;
    this.app = app;
    this.layer = app.layerOf(PANEL);
    this.filters = {status: new Set(OPEN), category: '', unit: '', overdue: false, inWindow: false, q: '', sort: 'newest'};
    this.selected = new Set(); // ids ticked for bulk assignment
    this.fresh = new Map(); // id → when it arrived live
    this.open = null; // the case file shown
    this.placing = false; // the next map click places the hotline call
  }

  async show() {
    if (!this.units) ({units: this.units, may_assign: this.mayAssign} = await getJSON('/api/desk/units'));
    this.element.hidden = false;
    if (!this.element.innerHTML) this.render();
    clearInterval(this.poll);
    this.poll = setInterval(() => this.refresh(), POLL_MS);
    await this.refresh();
  }

  hide() {
    this.element.hidden = true;
    clearInterval(this.poll);
    this.marker?.remove();
  }

  get visible() {
    return !this.element.hidden;
  }

  categories() {
    const field = this.layer?.fields.find((candidate) => candidate.name === 'category');
    return Object.entries(field?.values || {}).map(([code, names]) => ({code, name: names[lang() === 'en' ? 1 : 0]}));
  }

  unitOptions(chosen = '') {
    return this.units.map((unit) => `<option value="${unit.id}" ${String(unit.id) === String(chosen) ? 'selected' : ''}>${
      escapeHtml(lang() === 'en' ? unit.name_en : unit.name)}</option>`).join('');
  }

  render() {
    const categories = this.categories().map((c) => `<option value="${c.code}">${escapeHtml(c.name)}</option>`).join('');
    this.element.innerHTML = `
      <header><h2>${escapeHtml(t('deskTitle'))}</h2>
        <button type="button" id="desk-call">${escapeHtml(t('deskCall'))}</button>
        <button type="button" id="desk-close" title="${escapeHtml(t('close'))}">×</button></header>
      <form id="desk-filters">
        <div id="desk-statuses"></div>
        <label>${escapeHtml(t('deskCategory'))} <select name="category"><option value="">${escapeHtml(t('deskAll'))}</option>${categories}</select></label>
        <label>${escapeHtml(t('deskUnit'))} <select name="unit"><option value="">${escapeHtml(t('deskAll'))}</option>
          <option value="none">${escapeHtml(t('deskUnassigned'))}</option>${this.unitOptions()}</select></label>
        <label>${escapeHtml(t('deskSort'))} <select name="sort"><option value="newest">${escapeHtml(t('deskNewest'))}</option>
          <option value="due">${escapeHtml(t('deskNearestDue'))}</option></select></label>
        <label><input type="checkbox" name="overdue"> ${escapeHtml(t('deskOverdue'))}</label>
        <label><input type="checkbox" name="inWindow"> ${escapeHtml(t('deskInWindow'))}</label>
        <input type="search" name="q" placeholder="${escapeHtml(t('deskSearch'))}" aria-label="${escapeHtml(t('deskSearch'))}">
      </form>
      <form id="desk-bulk"><label><input type="checkbox" id="desk-all"> <span id="desk-total"></span></label>
        <select name="unit" aria-label="${escapeHtml(t('deskUnit'))}">${this.unitOptions()}</select>
        <button type="submit">${escapeHtml(t('deskAssign'))}</button><output id="desk-bulk-result"></output></form>
      <ol id="desk-list" aria-label="${escapeHtml(t('deskTitle'))}"></ol>
      <section id="desk-case" hidden></section>
      <form id="desk-hotline" hidden></form>`;
    const $ = (selector) => this.element.querySelector(selector);
    $('#desk-call').hidden = !this.mayAssign; // operators take calls and hand reports to units
    $('#desk-bulk').hidden = !this.mayAssign;
    $('#desk-close').addEventListener('click', () => this.app.showSide(null));
    $('#desk-call').addEventListener('click', () => this.showCall());
    $('#desk-filters').addEventListener('input', (event) => this.readFilter(event.target));
    $('#desk-filters').addEventListener('submit', (event) => event.preventDefault());
    $('#desk-all').addEventListener('change', (event) => this.tickAll(event.target.checked));
    $('#desk-bulk').addEventListener('submit', (event) => this.assignTicked(event));
    $('#desk-list').addEventListener('click', (event) => this.onListClick(event));
  }

  readFilter(control) {
    if (control.name === 'status') {
      if (control.checked) this.filters.status.add(control.value);
      else this.filters.status.delete(control.value);
    } else {
      this.filters[control.name] = control.type === 'checkbox' ? control.checked : control.value;
    }
    clearTimeout(this.typing);
    this.typing = setTimeout(() => this.refresh(), control.type === 'search' ? 300 : 0);
  }

  query() {
    const params = new URLSearchParams({limit: '200'});
    if (this.filters.status.size) params.set('status', [...this.filters.status].join(','));
    for (const name of ['category', 'unit', 'q', 'sort']) if (this.filters[name]) params.set(name, this.filters[name]);
    if (this.filters.overdue) params.set('overdue', '1');
    if (this.app.state.unitId) params.set('ward', this.app.state.unitId);
    const window = this.filters.inWindow ? `&datetime=${datetimeParam(this.app.state.window)}` : '';
    return `/api/desk/reports?${params}${window}`;
  }

  async refresh() {
    if (!this.visible) return;
    const serial = (this.serial = (this.serial || 0) + 1);
    const query = this.query();
    const page = await getJSON(query);
    if (serial !== this.serial) return;
    this.page = page;
    this.renderStatuses(page.statuses);
    this.element.querySelector('#desk-total').textContent = `${number(page.total)} ${t('deskReports')}`;
    this.renderList(page.reports);
    this.element.dataset.total = String(page.total);
    this.element.dataset.query = query; // what the list shows (tests wait for it)
  }

  renderStatuses(statuses) {
    this.element.querySelector('#desk-statuses').innerHTML = statuses.map((status) => `
      <label class="chip" style="--chip:${status.color}"><input type="checkbox" name="status" value="${status.code}" ${
  this.filters.status.has(status.code) ? 'checked' : ''}> ${escapeHtml(status[lang()])} <b>${number(status.count)}</b></label>`).join('');
  }

  renderList(rows) {
    const now = Date.now();
    this.element.querySelector('#desk-list').innerHTML = rows.map((row) => `
      <li data-id="${row.id}" data-code="${escapeHtml(row.code)}" class="${row.overdue ? 'overdue' : ''} ${
  now - (this.fresh.get(row.id) || 0) < NEW_MS ? 'new' : ''} ${this.open?.id === row.id ? 'open' : ''}">
        <input type="checkbox" aria-label="${escapeHtml(row.code)}" ${this.selected.has(row.id) ? 'checked' : ''} ${this.mayAssign ? '' : 'hidden'}>
        <button type="button" class="row">
          <span class="code">${escapeHtml(row.code)}</span>
          <i class="status" style="background:${row.color}">${escapeHtml(pick(row, 'status'))}</i>
          <b>${escapeHtml(row.title)}</b>
          <small>${escapeHtml(row.category[lang()])} · ${escapeHtml(row.ward || '')} · ${
  escapeHtml(row.unit?.name || t('deskUnassigned'))}</small>
          <small class="due">${escapeHtml(t('deskDue'))} ${when(row.due_at)}${row.overdue ? ` · ${escapeHtml(t('deskLate'))}` : ''}${
  row.likely_duplicate_of ? ` · ${escapeHtml(t('deskDuplicate'))} ${escapeHtml(row.likely_duplicate_of)}` : ''}</small>
        </button></li>`).join('') || `<li class="empty">${escapeHtml(t('noData'))}</li>`;
  }

  tickAll(on) {
    for (const row of this.page?.reports || []) {
      if (on) this.selected.add(row.id);
      else this.selected.delete(row.id);
    }
    this.renderList(this.page?.reports || []);
  }

  onListClick(event) {
    const item = event.target.closest('[data-id]');
    if (!item) return;
    const id = Number(item.dataset.id);
    if (event.target.matches('input[type=checkbox]')) {
      if (event.target.checked) this.selected.add(id);
      else this.selected.delete(id);
      return;
    }
    this.openCase(id, true);
  }

  async assignTicked(event) {
    event.preventDefault();
    const result = this.element.querySelector('#desk-bulk-result');
    if (!this.selected.size) {
      result.textContent = t('deskTickFirst');
      return;
    }
    try {
      const {body} = await send('POST', '/api/desk/assign', {ids: [...this.selected], unit: Number(event.target.unit.value)});
      result.textContent = `${t('deskAssigned')} ${body.assigned.length}` +
        (body.refused.length ? ` · ${t('deskRefused')}: ${body.refused.map((r) => `${r.code} (${r.message})`).join('; ')}` : '');
      this.selected.clear();
      await this.refresh();
    } catch (error) {
      result.textContent = error.message;
    }
  }

  // A report picked on the map or in the list: its case file, the map on it.
  async openCase(id, fly = false) {
    const report = await getJSON(`/api/desk/reports/${id}`);
    this.open = report;
    this.renderCase(report);
    if (fly) this.app.flyTo([report.lon, report.lat]);
    this.marker?.remove();
    this.marker = new maplibregl.Marker({color: '#f5a623'}).setLngLat([report.lon, report.lat]).addTo(this.app.panels[0].map);
    for (const item of this.element.querySelectorAll('#desk-list li')) item.classList.toggle('open', Number(item.dataset.id) === id);
  }

  renderCase(report) {
    const section = this.element.querySelector('#desk-case');
    section.hidden = false;
    section.dataset.code = report.code;
    section.dataset.status = report.status;
    const contact = report.reporter ? Object.values(report.reporter).filter(Boolean).join(' · ') : '';
    const moves = report.moves.map((move) => `<button type="button" data-move="${move.name}">${escapeHtml(move[lang()] || move.name)}</button>`).join('');
    section.innerHTML = `
      <h3>${escapeHtml(report.code)} <i class="status" style="background:${report.color}">${escapeHtml(pick(report, 'status'))}</i>
        <button type="button" class="close" title="${escapeHtml(t('close'))}">×</button></h3>
      <p><b>${escapeHtml(report.title)}</b></p>
      <p>${escapeHtml(report.description)}</p>
      <dl>
        <dt>${escapeHtml(t('deskCategory'))}</dt><dd>${escapeHtml(report.category[lang()])}</dd>
        <dt>${escapeHtml(t('deskChannel'))}</dt><dd>${escapeHtml(pick(report, 'channel'))}</dd>
        <dt>${escapeHtml(t('area'))}</dt><dd>${escapeHtml(report.ward || '')}</dd>
        <dt>${escapeHtml(t('deskUnit'))}</dt><dd>${escapeHtml(report.unit?.name || t('deskUnassigned'))}${
  report.suggested_unit && !report.unit ? ` (${escapeHtml(t('deskSuggested'))}: ${escapeHtml(report.suggested_unit.name)})` : ''}</dd>
        <dt>${escapeHtml(t('deskReceived'))}</dt><dd>${when(report.received_at)}</dd>
        <dt>${escapeHtml(t('deskDue'))}</dt><dd class="${report.overdue ? 'late' : ''}">${when(report.due_at)}${report.overdue ? ` · ${escapeHtml(t('deskLate'))}` : ''}</dd>
        ${contact ? `<dt>${escapeHtml(t('deskContact'))}</dt><dd>${escapeHtml(contact)}</dd>` : ''}
        ${report.rating ? `<dt>${escapeHtml(t('deskRating'))}</dt><dd>${'★'.repeat(report.rating)}</dd>` : ''}
      </dl>
      ${report.photos.map((url) => `<a href="${escapeHtml(url)}" target="_blank"><img src="${escapeHtml(url)}" alt="" class="photo"></a>`).join('')}
      ${report.likely_duplicate_of && !report.duplicate_of && report.moves.length ? `<p class="duplicate">${escapeHtml(t('deskDuplicate'))} ${escapeHtml(report.likely_duplicate_of)}
        <button type="button" data-merge="${report.likely_duplicate_id}">${escapeHtml(t('deskMerge'))}</button></p>` : ''}
      <div class="moves">${moves}</div>
      <form id="desk-move" hidden></form>
      <p id="desk-message" role="alert"></p>
      <h4>${escapeHtml(t('deskTimeline'))}</h4>
      <ol class="timeline">${report.timeline.map((step) => `<li><time>${when(step.at)}</time> <b>${escapeHtml(pick(step, 'status'))}</b>${
    step.by ? ` · ${escapeHtml(step.by)}` : ''}${step.text ? `<br>${escapeHtml(step.text)}` : ''}</li>`).join('')}</ol>`;
    section.querySelector('.close').addEventListener('click', () => { section.hidden = true; this.open = null; this.marker?.remove(); });
    section.querySelector('.moves').addEventListener('click', (event) => {
      const button = event.target.closest('[data-move]');
      if (button) this.askMove(report, report.moves.find((move) => move.name === button.dataset.move));
    });
    section.querySelector('[data-merge]')?.addEventListener('click', () => this.merge(report));
  }

  askMove(report, move) {
    const form = this.element.querySelector('#desk-move');
    form.hidden = false;
    form.dataset.move = move.name;
    const unit = move.unit ? `<label>${escapeHtml(t('deskUnit'))} <select name="unit">${
      this.unitOptions(report.unit?.id && move.name === 'reassign' ? '' : report.suggested_unit?.id)}</select></label>` : '';
    const text = move.text ? `<label>${escapeHtml(t(`deskText_${move.text}`))} <textarea name="note" required rows="3"></textarea></label>` : '';
    form.innerHTML = `${unit}${text}<button type="submit">${escapeHtml(move[lang()] || move.name)}</button>
      <button type="button" class="cancel">${escapeHtml(t('cancel'))}</button>`;
    form.querySelector('.cancel').addEventListener('click', () => { form.hidden = true; });
    form.onsubmit = (event) => {
      event.preventDefault();
      const properties = {status: move.target};
      if (move.unit) properties.unit = Number(form.unit.value);
      this.run(report, {properties, note: form.note?.value || ''});
    };
    (form.querySelector('textarea, select, button[type=submit]'))?.focus();
  }

  async run(report, document) {
    const message = this.element.querySelector('#desk-message');
    try {
      await send('PATCH', `/ogc/collections/${this.layer.id}/items/${report.id}`, document, {'If-Match': `"${report.version}"`});
      await Promise.all([this.openCase(report.id), this.refresh()]);
      this.app.refreshLayer?.(this.layer.id);
    } catch (error) {
      message.textContent = error.status === 412 ? t('deskStale') : error.message;
      if (error.status === 412) await this.openCase(report.id);
    }
  }

  async merge(report) {
    const message = this.element.querySelector('#desk-message');
    try {
      await send('POST', '/api/desk/merge', {id: report.id, into: report.likely_duplicate_id});
      await Promise.all([this.openCase(report.id), this.refresh()]);
    } catch (error) {
      message.textContent = error.message;
    }
  }

  // A hotline call: the operator fills the form and clicks the map where the caller says.
  showCall() {
    const form = this.element.querySelector('#desk-hotline');
    const categories = this.categories().map((c) => `<option value="${c.code}">${escapeHtml(c.name)}</option>`).join('');
    form.hidden = false;
    form.innerHTML = `<h3>${escapeHtml(t('deskCall'))}</h3>
      <label>${escapeHtml(t('deskCategory'))} <select name="category" required>${categories}</select></label>
      <label>${escapeHtml(t('deskTitleField'))} <input name="title" required maxlength="300"></label>
      <label>${escapeHtml(t('deskDescription'))} <textarea name="description" rows="3"></textarea></label>
      <label>${escapeHtml(t('deskCaller'))} <input name="full_name"></label>
      <label>${escapeHtml(t('deskPhone'))} <input name="phone" type="tel"></label>
      <p class="place">${escapeHtml(t('deskPlace'))} <output name="point"></output></p>
      <button type="submit">${escapeHtml(t('deskFile'))}</button> <button type="button" class="cancel">${escapeHtml(t('cancel'))}</button>
      <p role="alert" class="result"></p>`;
    this.placing = true;
    this.point = null;
    form.querySelector('.cancel').addEventListener('click', () => { form.hidden = true; this.placing = false; });
    form.onsubmit = (event) => this.fileCall(event, form);
  }

  place(lngLat) {
    this.point = lngLat;
    const form = this.element.querySelector('#desk-hotline');
    form.point.value = `${lngLat.lat.toFixed(5)}, ${lngLat.lng.toFixed(5)}`;
    this.marker?.remove();
    this.marker = new maplibregl.Marker({color: '#ff5e57'}).setLngLat(lngLat).addTo(this.app.panels[0].map);
  }

  async fileCall(event, form) {
    event.preventDefault();
    const result = form.querySelector('.result');
    if (!this.point) {
      result.textContent = t('deskPlace');
      return;
    }
    const body = Object.fromEntries(['category', 'title', 'description', 'full_name', 'phone'].map((name) => [name, form[name].value]));
    try {
      const {body: filed} = await send('POST', '/api/desk/hotline', {...body, lon: this.point.lng, lat: this.point.lat});
      result.textContent = `${t('deskFiled')} ${filed.code}`;
      this.placing = false;
      this.fresh.set(filed.id, Date.now());
      await this.refresh();
      await this.openCase(filed.id);
    } catch (error) {
      result.textContent = error.message;
    }
  }

  // A map click while the desk is open: place a hotline call, or open the report clicked.
  onMapClick(lngLat, hit) {
    if (this.placing) {
      this.place(lngLat);
      return true;
    }
    if (hit && hit.layer.id === this.layer?.id) {
      this.openCase(Number(hit.id));
      return true;
    }
    return false;
  }

  // Live: new reports (and changed ones) show at once, marked new for a while.
  onLive(message) {
    for (const feature of message.features) this.fresh.set(Number(feature.id), Date.now());
    clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => this.refresh(), 200);
  }
}
