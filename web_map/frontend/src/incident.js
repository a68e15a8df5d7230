// The incident panel beside the map: incidents under response, one incident's SOP steps (who does what
// by when, late ones marked), completing a step with its checklist, the log, and the nearest resources
// by road with their routes drawn on the map. Data from /api/response/ (docs/response.md).
import {getJSON, send, sendForm} from './api.js';
import {lang, number, t} from './i18n.js';
import {escapeHtml} from './text.js';
import {localLabel} from './time.js';

const ROUTES = 'incident-routes';
const KINDS = ['health', 'police', 'fire'];

const when = (iso) => (iso ? localLabel(Date.parse(iso)) : '');
const coded = (value) => (value ? value[lang()] || value.vi || value.code : '');
const titled = (row) => row[`title_${lang()}`] || row.title_vi || row.title || '';

export class IncidentPanel {
  constructor(element, app) {
    this.element = element;
    this.app = app;
    this.open = null;
  }

  // show(): the list; show({alert}): open an incident for an alert; show({incident: id}): one incident.
  async show(what = {}) {
    this.element.hidden = false;
    if (what.alert) this.askCategory(what.alert);
    else if (what.incident) await this.openIncident(what.incident);
    else await this.renderList();
  }

  hide() {
    this.element.hidden = true;
    this.clearRoutes();
  }

  get visible() {
    return !this.element.hidden;
  }

  async renderList() {
    const {incidents} = await getJSON('/api/response/incidents?limit=50');
    this.open = null;
    this.element.innerHTML = `<header><h2>${escapeHtml(t('incidents'))}</h2>
      <button type="button" class="close" title="${escapeHtml(t('close'))}">×</button></header>
      <ol class="incident-list">${incidents.map((row) => `<li><button type="button" data-incident="${row.id}">
        <b>${escapeHtml(row.code)}</b> ${escapeHtml(row.title)}<br><small>${escapeHtml(coded(row.category))} · ${
  escapeHtml(coded(row.severity))} · ${when(row.opened_at)}</small></button></li>`).join('') || `<li>${escapeHtml(t('noData'))}</li>`}</ol>`;
    this.element.querySelector('.close').addEventListener('click', () => this.app.showSide(null));
    this.element.querySelector('.incident-list').addEventListener('click', (event) => {
      const button = event.target.closest('[data-incident]');
      if (button) this.openIncident(Number(button.dataset.incident));
    });
  }

  // An incident for an alert: the operator confirms its category (its SOP follows from it), then it opens.
  askCategory(alert) {
    const p = alert.properties;
    const values = this.app.layerOf('incident')?.fields.find((field) => field.name === 'category')?.values || {};
    const guess = p.incident?.category || Object.keys(values)[0]; // the server's offer (the rule's, or by CAP)
    this.element.innerHTML = `<header><h2>${escapeHtml(t('openIncident'))}</h2>
        <button type="button" class="close" title="${escapeHtml(t('close'))}">×</button></header>
      <p>${escapeHtml(lang() === 'en' ? p.title_en || p.title : p.title)}</p>
      <form class="open-incident"><label>${escapeHtml(t('deskCategory'))} <select name="category">${Object.entries(values).map(([code, names]) =>
    `<option value="${code}" ${code === guess ? 'selected' : ''}>${escapeHtml(names[lang() === 'en' ? 1 : 0])}</option>`).join('')}</select></label>
        <button type="submit">${escapeHtml(t('openIncident'))}</button></form><p class="message" role="alert"></p>`;
    this.element.querySelector('.close').addEventListener('click', () => this.app.showSide(null));
    this.element.querySelector('.open-incident').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const {body} = await send('POST', '/api/response/incidents', {
          alert: alert.id, category: event.target.category.value}); // the rest from the alert, server-side
        this.render(body);
      } catch (error) {
        this.element.querySelector('.message').textContent = error.message;
      }
    });
  }

  async openIncident(id) {
    this.render(await getJSON(`/api/response/incidents/${id}`));
  }

  render(panel) {
    const {incident, steps, log} = panel;
    this.open = panel;
    this.element.dataset.incident = String(incident.id);
    this.element.innerHTML = `<header><h2>${escapeHtml(incident.code)}</h2>
        <button type="button" class="back">${escapeHtml(t('incidents'))}</button>
        <button type="button" class="close" title="${escapeHtml(t('close'))}">×</button></header>
      <p><b>${escapeHtml(incident.title)}</b><br>${escapeHtml(coded(incident.category))} · ${escapeHtml(coded(incident.severity))} · ${
  when(incident.reported_at)}</p>
      <h3>${escapeHtml(t('sopSteps'))}</h3>
      <ol class="steps">${steps.map((step) => this.stepItem(step, panel.may_act)).join('')}</ol>
      <h3>${escapeHtml(t('nearest'))}</h3>
      <div class="nearest-kinds">${KINDS.map((kind) => `<button type="button" data-kind="${kind}">${escapeHtml(t(`nearest_${kind}`))}</button>`).join('')}</div>
      <ol class="nearest"></ol>
      ${log ? `<h3>${escapeHtml(t('incidentLog'))}</h3>
      <ol class="log">${log.map((entry) => `<li><time>${when(entry.at)}</time> <b>${escapeHtml(entry.by_name || entry.by || '')}</b> ${
  escapeHtml(entry.note || '')}${entry.photo ? `<a href="${escapeHtml(entry.photo)}" target="_blank"><img src="${escapeHtml(entry.photo)}" alt="" class="photo"></a>` : ''}</li>`).join('')}</ol>
      ${panel.may_act ? `<form class="log-form"><input name="note" required placeholder="${escapeHtml(t('incidentNote'))}">
        <input type="file" name="photo" accept="image/*"><button type="submit">${escapeHtml(t('save'))}</button></form>` : ''}` : ''}
      <p class="message" role="alert"></p>`;
    this.app.flyTo([incident.lon ?? incident.geometry?.coordinates?.[0], incident.lat ?? incident.geometry?.coordinates?.[1]]);
    this.element.querySelector('.close').addEventListener('click', () => this.app.showSide(null));
    this.element.querySelector('.back').addEventListener('click', () => { this.clearRoutes(); this.renderList(); });
    this.element.querySelector('.steps').addEventListener('submit', (event) => this.completeStep(event));
    this.element.querySelector('.nearest-kinds').addEventListener('click', (event) => {
      const button = event.target.closest('[data-kind]');
      if (button) this.showNearest(button.dataset.kind);
    });
    this.element.querySelector('.log-form')?.addEventListener('submit', (event) => this.addNote(event));
  }

  stepItem(step, mayAct) {
    const checklist = step.checklist.map((item, index) => `<label><input type="checkbox" name="checked" value="${index}" ${
      item.checked ? 'checked' : ''} ${step.status === 'done' || !mayAct ? 'disabled' : ''}> ${escapeHtml(item[lang()] || item.vi || item.text || '')}</label>`).join('');
    return `<li data-step="${step.id}" data-status="${step.status}" class="${step.late ? 'late' : ''}">
      <b>${step.number}. ${escapeHtml(titled(step))}</b>
      <small>${escapeHtml(step.in_charge?.[lang()] || '')} · ${escapeHtml(t('deskDue'))} ${when(step.due_at)}${
  step.late ? ` · <em>${escapeHtml(t('deskLate'))}</em>` : ''}${step.done_at ? ` · ${escapeHtml(step[`status_${lang()}`])} ${when(step.done_at)} ${escapeHtml(step.done_by || '')}` : ''}</small>
      ${step.status !== 'done' && mayAct ? `<form data-step="${step.id}">${checklist}
        <input name="note" placeholder="${escapeHtml(t('incidentNote'))}"><button type="submit">${escapeHtml(t('stepDone'))}</button></form>` : checklist}
    </li>`;
  }

  async completeStep(event) {
    event.preventDefault();
    const form = event.target;
    const checked = [...form.querySelectorAll('input[name=checked]:checked')].map((box) => Number(box.value));
    const incident = this.open.incident.id;
    try {
      await send('POST', `/api/response/incidents/${incident}/steps/${form.dataset.step}/done`, {checked, note: form.note.value});
      await this.openIncident(incident);
    } catch (error) {
      this.element.querySelector('.message').textContent = error.message;
    }
  }

  async addNote(event) {
    event.preventDefault();
    const incident = this.open.incident.id;
    try {
      const form = new FormData();
      form.append('note', event.target.note.value);
      if (event.target.photo.files[0]) form.append('photo', event.target.photo.files[0]);
      await sendForm(`/api/response/incidents/${incident}/log`, form);
      await this.openIncident(incident);
    } catch (error) {
      this.element.querySelector('.message').textContent = error.message;
    }
  }

  async showNearest(kind) {
    const incident = this.open.incident.id;
    const list = this.element.querySelector('.nearest');
    try {
      const answer = await getJSON(`/api/response/incidents/${incident}/nearest?kind=${kind}&limit=5`);
      list.dataset.kind = kind;
      list.innerHTML = answer.resources.map((resource) => `<li data-resource="${resource.id}">
        <b>${escapeHtml(resource.name)}</b> · ${number(Math.round(resource.travel_s / 60))} ${escapeHtml(t('minutes'))} · ${
  number(Math.round(resource.distance_m / 100) / 10)} km</li>`).join('') || `<li>${escapeHtml(t('noData'))}</li>`;
      this.drawRoutes(answer.resources);
    } catch (error) {
      list.innerHTML = `<li>${escapeHtml(error.message)}</li>`;
    }
  }

  drawRoutes(resources) {
    const map = this.app.panels[0].map;
    const data = {type: 'FeatureCollection', features: resources.filter((r) => r.route).map((resource) => ({
      type: 'Feature', geometry: resource.route, properties: {rank: resource.rank}}))};
    if (map.getSource(ROUTES)) map.getSource(ROUTES).setData(data);
    else {
      map.addSource(ROUTES, {type: 'geojson', data});
      map.addLayer({id: ROUTES, type: 'line', source: ROUTES, paint: {
        'line-color': ['case', ['==', ['get', 'rank'], 1], '#ff5e57', '#f5a623'], 'line-width': 4, 'line-opacity': 0.85}});
    }
  }

  clearRoutes() {
    const map = this.app.panels[0]?.map;
    if (map?.getLayer(ROUTES)) map.removeLayer(ROUTES);
    if (map?.getSource(ROUTES)) map.removeSource(ROUTES);
  }
}
