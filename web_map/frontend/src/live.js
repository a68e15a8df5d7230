// Live events (Server-Sent Events from /api/live): new incidents, reports and detections appear
// on every panel at once, with a ticker of the latest ones to fly to. Events of a layer that declares a
// ticker group (detections: per camera) are counted per group and minute in one line each, so a
// camera's stream never pushes the other events out of the ticker.
import {t, title} from './i18n.js';
import {escapeHtml} from './text.js';
import {localLabel} from './time.js';

const TICKER_SIZE = 12;
const MAP_SIZE = 300;

export class LiveFeed {
  constructor(element, app, onEvent) {
    this.app = app;
    this.onEvent = onEvent;
    this.events = [];
    this.ticker = []; // lines: one event, or a group's count in one minute
    element.innerHTML = `<h2>${t('live')} <span id="live-status" class="off">●</span></h2><ol id="ticker-list"></ol>`;
    this.status = element.querySelector('#live-status');
    this.list = element.querySelector('#ticker-list');
    this.list.addEventListener('click', (event) => {
      const item = event.target.closest('[data-lon]');
      if (item) app.flyTo([Number(item.dataset.lon), Number(item.dataset.lat)]);
    });
  }

  connect() {
    this.source = new EventSource('/api/live');
    this.source.addEventListener('open', () => this.setStatus(true));
    this.source.addEventListener('error', () => this.setStatus(false));
    this.source.addEventListener('feature', (message) => this.receive(JSON.parse(message.data)));
  }

  setStatus(on) {
    this.status.className = on ? 'on' : 'off';
    this.status.title = t(on ? 'liveOn' : 'liveOff');
  }

  termOf(layer, value) {
    const term = layer.style.legend.find((candidate) => candidate.code === value);
    return term ? title(term) : value || '';
  }

  colourOf(layer, value) {
    return layer.style.legend.find((term) => term.code === value)?.color || layer.style.color;
  }

  receive(message) {
    const layer = this.app.config.layers.find((candidate) => candidate.id === message.layer);
    if (!layer) return;
    if (!message.features) { // not new features (an acknowledgement): for the others to hear
      this.onEvent(layer, message);
      return;
    }
    for (const feature of message.features) {
      const event = {...feature, layer, color: this.colourOf(layer, feature.value)};
      this.events.unshift(event);
      this.tick(event);
    }
    this.events.length = Math.min(this.events.length, MAP_SIZE);
    this.ticker.length = Math.min(this.ticker.length, TICKER_SIZE * 4);
    this.render();
    this.onEvent(layer, message);
  }

  // One ticker line per event, or the event counted in its group's line of this minute.
  tick(event) {
    if (!event.layer.ticker_group || event.group == null) {
      this.ticker.unshift({...event, count: 1});
      return;
    }
    const minute = (event.time || new Date().toISOString()).slice(0, 16);
    const key = `${event.layer.id}:${event.group}:${minute}`;
    const line = this.ticker.find((candidate) => candidate.key === key);
    if (line) {
      Object.assign(line, {count: line.count + 1, lon: event.lon, lat: event.lat});
      return;
    }
    this.ticker.unshift({...event, key, minute, count: 1, label: event.group_label || `#${event.group}`});
  }

  collection() {
    return {type: 'FeatureCollection', features: this.events.map((event) => ({
      type: 'Feature', id: event.id, geometry: {type: 'Point', coordinates: [event.lon, event.lat]},
      properties: {layer: event.layer.id, color: event.color, label: event.label || ''}}))};
  }

  render() {
    this.list.innerHTML = this.ticker.slice(0, TICKER_SIZE).map((line) => `
      <li${line.key ? ` class="grouped" data-group="${escapeHtml(String(line.group))}"` : ''}><button type="button" data-lon="${line.lon}" data-lat="${line.lat}" data-layer="${line.layer.id}" data-id="${line.id}">
        <i style="background:${line.color}"></i><b>${escapeHtml(title(line.layer))}</b>
        <span>${escapeHtml(line.key ? `${line.label}: ${line.count} ${t('perMinute')}` : line.label || this.termOf(line.layer, line.value))}</span>
        <time>${line.time ? localLabel(Date.parse(line.key ? `${line.minute}:00${line.time.slice(19).replace(/^\.\d+/, '')}` : line.time)) : ''}</time></button></li>`).join('');
    for (const panel of this.app.panels) panel.setLive(this.collection());
  }
}
