// The alarm bar: what must not be missed, pinned above the latest events until an operator acknowledges
// it: pinned events first (new features of a layer with a priority, e.g. critical and high incidents,
// from /api/alerts/pinned and at once from the live feed's `pin`), then alerts, most severe first. Each
// is marked on the map with a pulsing ring until acknowledged (then shown quietly, with who took it and
// when); an optional sound when a loud one arrives. Other operators' acknowledgements arrive live.
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
    this.alerts = [];
    this.events = []; // pinned events: {layer, id, lon, lat, time, priority, label, acknowledged, …}
    this.mayAcknowledgeEvents = false;
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
    const [answer, pinned] = await Promise.all([getJSON('/api/alerts/?status=open,acknowledged&limit=50'),
      getJSON('/api/alerts/pinned').catch(() => ({events: [], may_acknowledge: false}))]);
    this.takeEvents(pinned.events, pinned.may_acknowledge);
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

  // The pinned events from the API (the whole truth: it replaces what the live feed added).
  takeEvents(events, mayAcknowledge) {
    const fresh = this.knownEvents ? events.filter((event) => !this.knownEvents.has(eventKey(event))) : [];
    this.knownEvents = new Set(events.map(eventKey));
    this.events = events;
    this.mayAcknowledgeEvents = mayAcknowledge;
    if (fresh.some((event) => !event.acknowledged)) this.ring();
  }

  render() {
    const alerts = this.alerts;
    const events = this.events;
    this.element.hidden = !alerts.length && !events.length;
    const open = alerts.filter((alert) => alert.properties.status === 'open');
    const waiting = events.filter((event) => !event.acknowledged);
    document.body.classList.toggle('alarm', waiting.length > 0
      || open.some((alert) => LOUD.includes(alert.properties.severity)));
    this.element.dataset.count = String(alerts.length + events.length);
    const sound = localStorage.getItem(SOUND_KEY) === 'on';
    this.element.innerHTML = `<header><b>${escapeHtml(t('alarms'))} (${open.length + waiting.length}/${alerts.length + events.length})</b>
      <label><input type="checkbox" id="alarm-sound" ${sound ? 'checked' : ''}> ${escapeHtml(t('alarmSound'))}</label></header>
      <ol>${events.map((event) => this.eventItem(event)).join('')}${alerts.map((alert) => this.item(alert)).join('')}</ol>`;
    this.element.querySelector('#alarm-sound').addEventListener('change', (event) =>
      localStorage.setItem(SOUND_KEY, event.target.checked ? 'on' : 'off'));
  }

  eventItem(event) {
    const layerTitle = lang() === 'en' ? event.layer_en : event.layer_vi;
    const priority = lang() === 'en' ? event.priority_en : event.priority_vi;
    const taken = event.acknowledged ? `<small class="taken">${escapeHtml(t('acknowledgedBy'))} ${escapeHtml(event.acknowledged.by_name)} · ${
      localLabel(Date.parse(event.acknowledged.at))}</small>` : '';
    const key = eventKey(event);
    return `<li class="pinned-event" data-event="${escapeHtml(key)}" data-priority="${escapeHtml(event.priority || '')}" data-status="${event.acknowledged ? 'acknowledged' : 'open'}" style="--severity:${event.color || '#D63031'}">
      <button type="button" class="fly" data-fly-event="${escapeHtml(key)}"><b>${escapeHtml(priority || '')}</b> ${escapeHtml(event.label || layerTitle)}</button>
      <small>${escapeHtml(layerTitle)} · ${event.time ? localLabel(Date.parse(event.time)) : ''}</small>${taken}
      <span class="actions">${this.mayAcknowledgeEvents && !event.acknowledged ? `<button type="button" data-acknowledge-event="${escapeHtml(key)}">${escapeHtml(t('acknowledge'))}</button>` : ''}</span></li>`;
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
      this.ring_(map, `alert:${alert.id}`, alert.geometry.coordinates, alert.properties.color).dataset.alert = String(alert.id);
    }
    for (const event of this.events.filter((candidate) => !candidate.acknowledged)) {
      const ring = this.ring_(map, eventKey(event), [event.lon, event.lat], event.color);
      ring.classList.add('pinned');
      ring.dataset.event = eventKey(event);
    }
  }

  // A pulsing ring (a CSS animation: the map is not repainted for it) at `lngLat`.
  ring_(map, key, lngLat, color) {
    const ring = document.createElement('div');
    ring.className = 'alarm-ring';
    ring.style.setProperty('--severity', color || '#D63031');
    this.markers.set(key, new maplibregl.Marker({element: ring}).setLngLat(lngLat).addTo(map));
    return ring;
  }

  async onClick(event) {
    if (await this.onEventClick(event)) return;
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

  async onEventClick(click) {
    const target = click.target.closest('[data-fly-event], [data-acknowledge-event]');
    if (!target) return false;
    const key = target.dataset.flyEvent || target.dataset.acknowledgeEvent;
    const event = this.events.find((candidate) => eventKey(candidate) === key);
    if (!event) return true;
    if (target.dataset.flyEvent) this.app.flyTo([event.lon, event.lat]);
    if (target.dataset.acknowledgeEvent) {
      target.disabled = true;
      try {
        const {body} = await send('POST', `/api/alerts/pinned/${encodeURIComponent(event.layer)}/${event.id}/acknowledge`);
        Object.assign(event, body);
      } catch (error) {
        target.title = error.message;
        await this.refresh();
        return true;
      }
      this.render();
      this.mark();
    }
    return true;
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

  onLive(layer, message) {
    if (message?.acknowledged) {
      this.acknowledgedElsewhere(layer, message.acknowledged);
      return;
    }
    const pinned = layer.priority ? (message?.features || []).filter((feature) => feature.pin) : [];
    if (pinned.length) this.pinNow(layer, pinned);
    if (layer.panel !== PANEL && !pinned.length) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), pinned.length ? 1000 : 100);
  }

  // Pinned at once from the live notice (the API's answer a moment later fills in the rest).
  pinNow(layer, features) {
    const legend = layer.priority.legend;
    for (const feature of features) {
      const key = `${layer.id}:${feature.id}`;
      if (this.events.some((event) => eventKey(event) === key)) continue;
      const term = legend.find((candidate) => candidate.code === feature.pin) || {};
      this.events.unshift({layer: layer.id, id: feature.id, lon: feature.lon, lat: feature.lat, time: feature.time,
        label: feature.label, priority: feature.pin, priority_vi: term.vi, priority_en: term.en, color: term.color,
        layer_vi: layer.title_vi, layer_en: layer.title_en, acknowledged: null});
      this.knownEvents?.add(key);
    }
    this.render();
    this.mark();
    this.ring();
  }

  acknowledgedElsewhere(layer, acknowledged) {
    const event = this.events.find((candidate) => candidate.layer === layer.id && candidate.id === acknowledged.id);
    if (!event || event.acknowledged) return;
    event.acknowledged = acknowledged;
    this.render();
    this.mark();
  }
}

const eventKey = (event) => `${event.layer}:${event.id}`;
