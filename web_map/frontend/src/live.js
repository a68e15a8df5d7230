// Live events (Server-Sent Events from /api/live): new incidents, reports and detections appear
// on every panel at once, with a ticker of the latest ones to fly to.
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
    for (const feature of message.features) {
      this.events.unshift({...feature, layer, color: this.colourOf(layer, feature.value)});
    }
    this.events.length = Math.min(this.events.length, MAP_SIZE);
    this.render();
    this.onEvent(layer, message);
  }

  collection() {
    return {type: 'FeatureCollection', features: this.events.map((event) => ({
      type: 'Feature', id: event.id, geometry: {type: 'Point', coordinates: [event.lon, event.lat]},
      properties: {layer: event.layer.id, color: event.color, label: event.label || ''}}))};
  }

  render() {
    this.list.innerHTML = this.events.slice(0, TICKER_SIZE).map((event) => `
      <li><button type="button" data-lon="${event.lon}" data-lat="${event.lat}" data-layer="${event.layer.id}" data-id="${event.id}">
        <i style="background:${event.color}"></i><b>${escapeHtml(title(event.layer))}</b>
        <span>${escapeHtml(event.label || this.termOf(event.layer, event.value))}</span>
        <time>${event.time ? localLabel(Date.parse(event.time)) : ''}</time></button></li>`).join('');
    for (const panel of this.app.panels) panel.setLive(this.collection());
  }
}
