// The alarm bar: alerts pinned above the map, most severe first, each marked on the map with a pulsing
// ring until an operator acknowledges it (then shown quietly, with who acknowledged it and when, until
// it clears); an optional sound when a new one arrives. Alerts
// come from /api/alerts/ and arrive through the live feed (the `alerts` layer is an event layer).
import * as maplibregl from 'maplibre-gl';
import {getJSON, send} from './api.js';
import {lang, t} from './i18n.js';
import {escapeHtml} from './text.js';
import {localLabel} from './time.js';

const PANEL = 'alarms'; // the layer declaring this panel (Layer.panel) holds the alerts
const SEVERITY_ORDER = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'];
const LOUD = ['Extreme', 'Severe'];
const SOUND_KEY = 'ioc.alarm.sound';
const POLL_MS = 30000;

const label = (labelled) => (labelled ? labelled[lang()] || labelled.vi : '');

export class AlarmBar {
  constructor(element, app, onOpenIncident) {
    this.element = element;
    this.app = app;
    this.onOpenIncident = onOpenIncident;
    this.known = null; // ids seen so far (null before the first load: nothing rings then)
    this.markers = new Map();
  }

  // Starts when the viewer reads alerts (a 401/403 leaves the bar hidden).
  async start() {
    try {
      await this.refresh();
    } catch {
      this.element.hidden = true;
      return false;
    }
    this.element.addEventListener('click', (event) => this.onClick(event));
    return true;
  }

  async refresh() {
    const answer = await getJSON('/api/alerts/?status=open,acknowledged&limit=50');
    const rank = (alert) => (alert.properties.status === 'open' ? 0 : 10) + SEVERITY_ORDER.indexOf(alert.properties.severity);
    const alerts = answer.features.sort((a, b) => rank(a) - rank(b)
      || Date.parse(b.properties.opened_at) - Date.parse(a.properties.opened_at));
    const fresh = this.known ? alerts.filter((alert) => !this.known.has(alert.id)) : [];
    this.known = new Set(alerts.map((alert) => alert.id));
    this.alerts = alerts;
    this.mayAcknowledge = answer.may_acknowledge;
    this.render();
    this.mark();
    if (fresh.some((alert) => LOUD.includes(alert.properties.severity))) this.ring();
    clearTimeout(this.poll);
    this.poll = setTimeout(() => this.refresh().catch(() => {}), POLL_MS); // acknowledgements by others
  }

  render() {
    const alerts = this.alerts;
    this.element.hidden = !alerts.length;
    const open = alerts.filter((alert) => alert.properties.status === 'open');
    document.body.classList.toggle('alarm', open.some((alert) => LOUD.includes(alert.properties.severity)));
    this.element.dataset.count = String(alerts.length);
    const sound = localStorage.getItem(SOUND_KEY) === 'on';
    this.element.innerHTML = `<header><b>${escapeHtml(t('alarms'))} (${open.length}/${alerts.length})</b>
      <label><input type="checkbox" id="alarm-sound" ${sound ? 'checked' : ''}> ${escapeHtml(t('alarmSound'))}</label></header>
      <ol>${alerts.map((alert) => this.item(alert)).join('')}</ol>`;
    this.element.querySelector('#alarm-sound').addEventListener('change', (event) =>
      localStorage.setItem(SOUND_KEY, event.target.checked ? 'on' : 'off'));
  }

  item(alert) {
    const p = alert.properties;
    const title = lang() === 'en' ? p.title_en || p.title : p.title;
    const acknowledged = p.acknowledged_at ? `<small>${escapeHtml(t('acknowledgedBy'))} ${escapeHtml(p.acknowledged_by || '')} · ${
      localLabel(Date.parse(p.acknowledged_at))}</small>` : '';
    return `<li data-alert="${alert.id}" data-severity="${p.severity}" data-status="${p.status}" style="--severity:${p.color}">
      <button type="button" class="fly" data-fly="${alert.id}"><b>${escapeHtml(label(p.severity_label))}</b> ${escapeHtml(title)}</button>
      <small>${escapeHtml(p.ward?.name || '')} · ${localLabel(Date.parse(p.opened_at))} · ${escapeHtml(label(p.kind_label))}</small>
      ${acknowledged}${p.rule?.instruction ? `<small>${escapeHtml(lang() === 'en' ? p.rule.instruction_en || p.rule.instruction : p.rule.instruction)}</small>` : ''}
      <span class="actions">${p.may_acknowledge ? `<button type="button" data-acknowledge="${alert.id}">${escapeHtml(t('acknowledge'))}</button>` : ''}
      ${this.app.mayOpenIncident ? `<button type="button" data-incident="${alert.id}">${escapeHtml(t('openIncident'))}</button>` : ''}</span></li>`;
  }

  // A pulsing ring on the main map for each open alert.
  mark() {
    const map = this.app.panels[0]?.map;
    for (const marker of this.markers.values()) marker.remove();
    this.markers.clear();
    if (!map) return;
    for (const alert of this.alerts.filter((candidate) => candidate.properties.status === 'open')) {
      const ring = document.createElement('div');
      ring.className = 'alarm-ring';
      ring.dataset.alert = String(alert.id);
      ring.style.setProperty('--severity', alert.properties.color);
      this.markers.set(alert.id, new maplibregl.Marker({element: ring}).setLngLat(alert.geometry.coordinates).addTo(map));
    }
  }

  async onClick(event) {
    const target = event.target.closest('[data-fly], [data-acknowledge], [data-incident]');
    if (!target) return;
    const alert = this.alerts.find((candidate) => String(candidate.id) === (target.dataset.fly
      || target.dataset.acknowledge || target.dataset.incident));
    if (!alert) return;
    if (target.dataset.fly) this.app.flyTo(alert.geometry.coordinates);
    if (target.dataset.acknowledge) {
      target.disabled = true;
      await send('POST', alert.properties.acknowledge_url.replace(location.origin, '')).catch((error) => {
        target.title = error.message;
      });
      await this.refresh();
    }
    if (target.dataset.incident) this.onOpenIncident(alert);
  }

  // A short two-tone beep (no sound file: the page makes it).
  ring() {
    if (localStorage.getItem(SOUND_KEY) !== 'on') return;
    try {
      const audio = new AudioContext();
      for (const [index, frequency] of [880, 660].entries()) {
        const tone = audio.createOscillator();
        tone.frequency.value = frequency;
        tone.connect(audio.destination);
        tone.start(audio.currentTime + index * 0.2);
        tone.stop(audio.currentTime + index * 0.2 + 0.18);
      }
    } catch {
      // no audio device: the banner is enough
    }
  }

  onLive(layer) {
    if (layer.panel !== PANEL) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 100);
  }
}
