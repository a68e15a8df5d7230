// The directives panel beside the map: leaders issue a directive (chỉ đạo) to units with a deadline,
// optionally at a place clicked on the map; units acknowledge, report progress and close it with
// evidence; everyone sees open, late and closed ones. Data from /api/directives/ (docs/directives.md).
import * as maplibregl from 'maplibre-gl';
import {getJSON, send, sendForm} from './api.js';
import {lang, number, t} from './i18n.js';
import {escapeHtml} from './text.js';
import {localLabel} from './time.js';

const OPEN = ['issued', 'acknowledged', 'in_progress'];
const when = (iso) => (iso ? localLabel(Date.parse(iso)) : '');
const named = (row, name) => row[`${name}_${lang()}`] ?? row[name];

export class DirectivesPanel {
  constructor(element, app) {
    this.element = element;
    this.app = app;
    this.status = 'open';
    this.placing = false;
  }

  get visible() {
    return !this.element.hidden;
  }

  async show() {
    if (!this.form) this.form = await getJSON('/api/directives/units');
    this.element.hidden = false;
    await this.renderList();
  }

  hide() {
    this.element.hidden = true;
    this.placing = false;
    this.marker?.remove();
  }

  async renderList() {
    const params = new URLSearchParams({limit: '100'});
    if (this.status === 'open') params.set('status', OPEN.join(','));
    if (this.status === 'late') params.set('overdue', '1');
    if (this.app.state.unitId) params.set('ward', this.app.state.unitId);
    const page = await getJSON(`/api/directives/?${params}`);
    this.element.dataset.total = String(page.total);
    this.element.innerHTML = `<header><h2>${escapeHtml(t('directives'))}</h2>
        ${this.form.may_issue ? `<button type="button" class="issue">${escapeHtml(t('directiveIssue'))}</button>` : ''}
        <button type="button" class="close" title="${escapeHtml(t('close'))}">×</button></header>
      <div class="tabs">${['open', 'late', 'all'].map((code) => `<button type="button" data-status="${code}" aria-pressed="${
  code === this.status}">${escapeHtml(t(`directives_${code}`))}</button>`).join('')} <b>${number(page.total)}</b></div>
      <ol class="directive-list">${page.directives.map((row) => `<li data-directive="${row.id}" class="${row.overdue ? 'late' : ''}">
        <button type="button" data-open="${row.id}"><b>${escapeHtml(row.code)}</b> ${escapeHtml(row.title)}<br>
        <small><i style="background:${row.color}">${escapeHtml(named(row, 'status'))}</i> ${escapeHtml(lang() === 'en' ? row.unit.name_en : row.unit.name)} · ${
  escapeHtml(t('deskDue'))} ${when(row.due_at)}${row.overdue ? ` · ${escapeHtml(t('deskLate'))}` : ''}</small></button></li>`).join('')
    || `<li>${escapeHtml(t('noData'))}</li>`}</ol><section class="directive"></section>`;
    this.element.querySelector('.close').addEventListener('click', () => this.app.showSide(null));
    this.element.querySelector('.issue')?.addEventListener('click', () => this.issueForm());
    this.element.querySelector('.tabs').addEventListener('click', (event) => {
      const button = event.target.closest('[data-status]');
      if (button) { this.status = button.dataset.status; this.renderList(); }
    });
    this.element.querySelector('.directive-list').addEventListener('click', (event) => {
      const button = event.target.closest('[data-open]');
      if (button) this.openDirective(Number(button.dataset.open));
    });
  }

  async openDirective(id) {
    const file = await getJSON(`/api/directives/${id}`);
    const section = this.element.querySelector('.directive');
    section.dataset.code = file.code;
    section.dataset.status = file.status;
    this.app.flyTo([file.lon, file.lat]);
    section.innerHTML = `<h3>${escapeHtml(file.code)} · ${escapeHtml(named(file, 'status'))}</h3>
      <p><b>${escapeHtml(file.title)}</b><br>${escapeHtml(file.text)}</p>
      <p><small>${escapeHtml(file.issued_by?.name || file.issued_by?.username || '')} → ${escapeHtml(file.unit.name)} · ${
  escapeHtml(t('deskDue'))} ${when(file.due_at)}${file.overdue ? ` · ${escapeHtml(t('deskLate'))}` : ''}</small></p>
      <ol class="history">${file.history.map((step) => `<li><time>${when(step.at)}</time> <b>${escapeHtml(named(step, 'status'))}</b> ${
  escapeHtml(step.by?.name || step.by?.username || step.by || '')}${step.text ? `<br>${escapeHtml(step.text)}` : ''}${
  (step.photos || []).map((url) => `<a href="${escapeHtml(url)}" target="_blank"><img src="${escapeHtml(url)}" alt="" class="photo"></a>`).join('')}</li>`).join('')}</ol>
      ${file.moves.map((move) => `<form class="move" data-move="${move.name}">
        ${move.note ? `<textarea name="note" rows="2" ${move.note_required ? 'required' : ''} placeholder="${escapeHtml(move[lang()])}"></textarea>` : ''}
        ${move.photos ? '<input type="file" name="photos" accept="image/*" multiple>' : ''}
        <button type="submit">${escapeHtml(move[lang()])}</button></form>`).join('')}
      <p class="message" role="alert"></p>`;
    section.addEventListener('submit', (event) => this.move(event, file));
  }

  async move(event, file) {
    event.preventDefault();
    const form = event.target;
    const name = form.dataset.move;
    const photos = form.photos?.files || [];
    try {
      if (photos.length) {
        const data = new FormData();
        data.append(form.note ? (file.moves.find((move) => move.name === name).note) : 'note', form.note?.value || '');
        for (const photo of photos) data.append('photos', photo);
        await sendForm(`/api/directives/${file.id}/${name}`, data);
      } else {
        const move = file.moves.find((candidate) => candidate.name === name);
        await send('POST', `/api/directives/${file.id}/${name}`, move.note ? {[move.note]: form.note?.value || ''} : {});
      }
      await this.renderList();
      await this.openDirective(file.id);
    } catch (error) {
      this.element.querySelector('.directive .message').textContent = error.message;
    }
  }

  // The leader's form: units, title, text, deadline, priority, and a place clicked on the map.
  issueForm() {
    const section = this.element.querySelector('.directive');
    section.innerHTML = `<form class="issue-form"><h3>${escapeHtml(t('directiveIssue'))}</h3>
      <fieldset class="units">${this.form.units.map((unit) => `<label><input type="checkbox" name="units" value="${unit.id}"> ${
  escapeHtml(lang() === 'en' ? unit.name_en : unit.name)}</label>`).join('')}</fieldset>
      <label>${escapeHtml(t('deskTitleField'))} <input name="title" required></label>
      <label>${escapeHtml(t('directiveText'))} <textarea name="text" rows="3" required></textarea></label>
      <label>${escapeHtml(t('deskDue'))} <input name="due_at" type="datetime-local" required></label>
      <label>${escapeHtml(t('directivePriority'))} <select name="priority">${this.form.priorities.map((p) =>
    `<option value="${p.code}">${escapeHtml(p[lang()])}</option>`).join('')}</select></label>
      <p>${escapeHtml(t('directivePlace'))} <output name="point"></output></p>
      <button type="submit">${escapeHtml(t('directiveSend'))}</button><p class="message" role="alert"></p></form>`;
    this.placing = true;
    this.point = null;
    section.querySelector('form').addEventListener('submit', (event) => this.issue(event));
  }

  onMapClick(lngLat) {
    if (!this.visible || !this.placing) return false;
    this.point = lngLat;
    const form = this.element.querySelector('.issue-form');
    form.point.value = `${lngLat.lat.toFixed(5)}, ${lngLat.lng.toFixed(5)}`;
    this.marker?.remove();
    this.marker = new maplibregl.Marker({color: '#6c5ce7'}).setLngLat(lngLat).addTo(this.app.panels[0].map);
    return true;
  }

  async issue(event) {
    event.preventDefault();
    const form = event.target;
    const units = [...form.querySelectorAll('input[name=units]:checked')].map((box) => Number(box.value));
    const body = {units, title: form.title.value, text: form.text.value, due_at: form.due_at.value, priority: form.priority.value};
    if (this.point) Object.assign(body, {lon: this.point.lng, lat: this.point.lat});
    try {
      const {body: made} = await send('POST', '/api/directives/', body);
      this.placing = false;
      this.marker?.remove();
      await this.renderList();
      await this.openDirective(made.directives[0].id);
    } catch (error) {
      form.querySelector('.message').textContent = error.message;
    }
  }
}
