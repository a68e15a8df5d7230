// Map wall entry point: views from the registry, one time window, drill-down by area, live
// events, 1/2/4 synchronised panels, the phone layout, and editing for land officials.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import {getJSON, send, setCsrfToken} from './api.js';
import {AreaPanel} from './area.js';
import {AlarmBar} from './alarms.js';
import {Desk, deskAllowed} from './desk.js';
import {DirectivesPanel} from './directives.js';
import {Editor} from './editor.js';
import {
  DENSITY_RAMP, applyChoropleth, applyDensity, applyMetricSizes, applyOverdue, cameraCones, hideChoropleths,
  isCameraLayer, isDensityLayer,
} from './enhance.js';
import {lang, number, t, title} from './i18n.js';
import {choroplethLegend, densityLegend, panelTitle, renderLegend, sizeLegend} from './legend.js';
import {LiveFeed} from './live.js';
import {MapPanel} from './panel.js';
import {showPopup} from './popup.js';
import {onChange, readHash, state, update} from './state.js';
import {escapeHtml} from './text.js';
import {TimeBar} from './timebar.js';
import {datetimeParam} from './time.js';
import {FADE_LAYER} from './style.js';
import {HubPanel} from './hub.js';
import {IncidentPanel} from './incident.js';
import {UnitTree} from './units.js';

maplibregl.setWorkerUrl(workerUrl);

const CYCLE_MS = 20000;
const $ = (selector) => document.querySelector(selector);

const app = {
  state, origin: window.location.origin, panels: [], config: null, units: null, session: null, stats: null,
  flyTo(center) {
    app.panels[0].map.flyTo({center, zoom: Math.max(app.panels[0].map.getZoom(), 15)});
  },
  refreshLayer(id) {
    for (const panel of app.panels) panel.refresh(id);
  },
  // One side panel at a time beside the map: the feedback desk, incidents or directives (null: none).
  showSide(name, ...args) {
    for (const [key, side] of Object.entries(app.sides)) {
      if (key === name) side.show(...args);
      else if (side.visible) side.hide();
      $(`[data-side='${key}']`)?.setAttribute('aria-pressed', String(key === name));
    }
    document.body.classList.toggle('with-side', Boolean(name));
    for (const panel of app.panels) panel.map.resize();
  },
  sides: {},
  // the readable layer a side panel works on (Layer.panel in the registry), undefined when none
  layerOf(panel) {
    return app.config.layers.find((layer) => layer.panel === panel);
  },
};
window.ioc = app;

async function start() {
  document.title = t('title');
  const [session, config, units] = await Promise.all([getJSON('/api/session'), getJSON('/api/layers'), getJSON('/api/units')]);
  Object.assign(app, {session, config, units: new UnitTree(units)});
  setCsrfToken(session.csrfToken);
  readHash(config.views.map((view) => view.code));
  if (deskAllowed(session)) app.sides.desk = app.desk = new Desk($('#desk'), app);
  const roles = new Set(session.roles || []);
  app.mayOpenIncident = roles.has('operator') || roles.has('administrator');
  if (['operator', 'leader', 'administrator'].some((role) => roles.has(role))) {
    app.sides.incident = app.incident = new IncidentPanel($('#incident'), app);
  }
  if (['operator', 'leader', 'unit_staff', 'administrator'].some((role) => roles.has(role))) {
    app.sides.directives = app.directives = new DirectivesPanel($('#directives'), app);
  }
  if (session.username) app.sides.hub = app.hub = new HubPanel(app); // the hub is read signed in
  renderTopBar();
  app.area = new AreaPanel($('#area'), app, (unitId) => update({unitId}));
  app.timebar = new TimeBar($('#timebar'), app, (window, preset) => update({window, preset}));
  app.live = new LiveFeed($('#ticker'), app, onLiveEvent);
  buildPanels();
  onChange(changed);
  app.timebar.show(state.window, state.preset);
  app.area.showUnit(state.unitId);
  app.live.connect();
  if (app.layerOf('alarms')) { // the viewer reads alerts
    app.alarms = new AlarmBar($('#alarms'), app, (alert) => app.showSide('incident', {alert}));
    app.alarms.start();
  }
  await Promise.all(app.panels.map((panel) => panel.ready));
  await refreshAll();
  document.body.dataset.ready = 'true';
}

function renderTopBar() {
  $('#views').innerHTML = app.config.views.map((view) =>
    `<button type="button" role="tab" data-view="${view.code}">${escapeHtml(title(view))}</button>`).join('');
  $('#views').addEventListener('click', (event) => {
    const button = event.target.closest('[data-view]');
    if (button) update({view: button.dataset.view});
  });
  const signedIn = app.session.username;
  $('#tools').innerHTML = `
    <label title="${escapeHtml(t('orthophoto'))}"><input type="checkbox" id="ortho" ${state.ortho ? 'checked' : ''}> ${escapeHtml(t('orthophoto'))}</label>
    <label>${escapeHtml(t('panels'))} <select id="panel-count">${[1, 2, 4].map((n) =>
      `<option ${n === state.panels ? 'selected' : ''}>${n}</option>`).join('')}</select></label>
    <label><input type="checkbox" id="cycle" ${state.cycle ? 'checked' : ''}> ${escapeHtml(t('cycle'))}</label>
    ${app.desk ? `<button type="button" id="desk-toggle" data-side="desk" aria-pressed="false">${escapeHtml(t('deskTitle'))}</button>` : ''}
    ${app.incident ? `<button type="button" data-side="incident" aria-pressed="false">${escapeHtml(t('incidents'))}</button>` : ''}
    ${app.directives ? `<button type="button" data-side="directives" aria-pressed="false">${escapeHtml(t('directives'))}</button>` : ''}
    ${app.hub ? `<button type="button" data-side="hub" aria-pressed="false">${escapeHtml(t('hub'))}</button>` : ''}
    <button type="button" id="fullscreen" title="${escapeHtml(t('fullscreen'))}">⛶</button>
    <a id="language" href="?lang=${lang() === 'vi' ? 'en' : 'vi'}${location.hash}">${escapeHtml(t('language'))}</a>
    ${signedIn ? `<span id="user">${escapeHtml(signedIn)}</span><button type="button" id="sign-out">${escapeHtml(t('signOut'))}</button>`
    : `<form id="sign-in"><input name="username" autocomplete="username" placeholder="${escapeHtml(t('username'))}" aria-label="${escapeHtml(t('username'))}">
        <input name="password" type="password" autocomplete="current-password" placeholder="${escapeHtml(t('password'))}" aria-label="${escapeHtml(t('password'))}">
        <button type="submit">${escapeHtml(t('signIn'))}</button><span id="sign-in-error" role="alert"></span></form>`}`;
  $('#ortho').addEventListener('change', (event) => update({ortho: event.target.checked}));
  $('#panel-count').addEventListener('change', (event) => update({panels: Number(event.target.value)}));
  $('#cycle').addEventListener('change', (event) => update({cycle: event.target.checked}));
  for (const button of document.querySelectorAll('#tools [data-side]')) {
    button.addEventListener('click', () => app.showSide(button.getAttribute('aria-pressed') === 'true' ? null : button.dataset.side));
  }
  $('#fullscreen').addEventListener('click', () => document.documentElement.requestFullscreen?.());
  $('#sign-in')?.addEventListener('submit', signIn);
  $('#sign-out')?.addEventListener('click', async () => {
    await send('POST', '/api/session/logout');
    location.reload();
  });
}

async function signIn(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await send('POST', '/api/session/login', {username: form.username.value, password: form.password.value});
    location.reload(); // the layers, fields and views the new viewer may see
  } catch (error) {
    $('#sign-in-error').textContent = error.message;
  }
}

// Panel i shows the main view (i = 0) or the chosen/next views.
function panelViews() {
  const codes = app.config.views.map((view) => view.code);
  const views = [state.view];
  for (const code of [...state.panelViews.slice(1), ...codes]) {
    if (views.length >= state.panels) break;
    if (!views.includes(code)) views.push(code);
  }
  return views;
}

function buildPanels() {
  for (const panel of app.panels) panel.map.remove();
  const container = $('#panels');
  container.className = `n${state.panels}`;
  container.innerHTML = '';
  app.panels = panelViews().map((code, index) => {
    const element = document.createElement('div');
    element.className = 'panel';
    element.innerHTML = `<div class="map" data-panel="${index}"></div><div class="panel-title"></div>`;
    container.append(element);
    const panel = new MapPanel(element.querySelector('.map'), app, code);
    panel.titleElement = element.querySelector('.panel-title');
    panel.ready.then(() => {
      panel.setView(code);
      panel.setOrthophoto(state.ortho);
      applyUnit(panel);
    });
    panel.map.on('click', (event) => onMapClick(panel, event));
    panel.map.on('zoomend', () => { // "drawn from zoom 14" comes and goes
      if (panel.counts) panel.titleElement.innerHTML = panelTitle(panel.view, panel.counts, panel.map.getZoom());
    });
    return panel;
  });
  synchronise(app.panels);
  app.state.panelViews = app.panels.map((panel) => panel.viewCode);
  setupEditor();
}

// Moving one panel moves the others (same centre and zoom).
function synchronise(panels) {
  let moving = null;
  for (const panel of panels) {
    panel.map.on('move', () => {
      if (moving && moving !== panel) return;
      moving = panel;
      const camera = {center: panel.map.getCenter(), zoom: panel.map.getZoom(), bearing: panel.map.getBearing()};
      for (const other of panels) if (other !== panel) other.map.jumpTo(camera);
      moving = null;
    });
  }
}

function unitSelection() {
  const tree = state.unitId ? app.units.treeOf(state.unitId) : app.units.defaultTree();
  const treeIds = app.units.communes(tree.root_id).map((unit) => unit.id);
  const selected = state.unitId ? app.units.communes(state.unitId).map((unit) => unit.id) : null;
  return {treeIds, selected, unit: app.units.get(state.unitId)};
}

function applyUnit(panel) {
  const {treeIds, selected, unit} = unitSelection();
  panel.setUnits(treeIds, selected, panel === app.panels[0] ? unit : null);
}

async function onMapClick(panel, event) {
  if (app.editor && panel === app.panels[0] && state.view === app.editor.viewCode) {
    const [hit] = panel.map.queryRenderedFeatures(event.point, {layers: [app.editor.layer.id]});
    if (hit) return app.editor.pick(hit.id);
  }
  const shown = panel.layersOf().map((layer) => layer.id).filter((id) => panel.map.getLayer(id));
  const [hit] = shown.length ? panel.map.queryRenderedFeatures(event.point, {layers: shown}) : [];
  if (app.desk?.visible && panel === app.panels[0] && app.desk.onMapClick(event.lngLat, hit)) return;
  if (panel === app.panels[0] && app.directives?.onMapClick(event.lngLat)) return;
  if (hit) {
    const layer = app.config.layers.find((candidate) => candidate.id === hit.layer.id);
    return showPopup(panel.map, layer, hit.id, event.lngLat, app.units);
  }
  const [area] = panel.map.queryRenderedFeatures(event.point, {layers: [FADE_LAYER]});
  if (area && area.id !== state.unitId) update({unitId: area.id});
}

function setupEditor() {
  $('#editor').hidden = true;
  app.editor = null;
  const view = app.config.views.find((candidate) => candidate.code === state.view);
  const layer = app.config.layers.find((candidate) => candidate.editable && view.layers.includes(candidate.id)
    && candidate.geometry_type.endsWith('Polygon'));
  if (!layer || state.panels > 1) return;
  app.editor = new Editor($('#editor'), app, layer);
  app.editor.viewCode = state.view;
  $('#editor').hidden = false;
}

function changed(keys) {
  if (keys.includes('panels')) {
    buildPanels();
    Promise.all(app.panels.map((panel) => panel.ready)).then(refreshAll);
    return;
  }
  if (keys.includes('view')) {
    app.panels[0].setView(state.view);
    state.panelViews[0] = state.view;
    setupEditor();
  }
  if (keys.includes('window')) {
    app.timebar.show(state.window, state.preset);
    for (const panel of app.panels) panel.setWindow(state.window);
  }
  if (keys.includes('unitId')) {
    app.area.showUnit(state.unitId);
    for (const panel of app.panels) applyUnit(panel);
  }
  if (keys.includes('ortho')) for (const panel of app.panels) panel.setOrthophoto(state.ortho);
  if (keys.includes('cycle')) setCycling(state.cycle);
  if (keys.some((key) => ['view', 'window', 'unitId', 'indicator', 'month'].includes(key))) refreshAll();
  if (keys.some((key) => ['window', 'unitId'].includes(key))) app.desk?.refresh();
}

function setCycling(on) {
  clearInterval(app.cycleTimer);
  if (!on) return;
  app.cycleTimer = setInterval(() => {
    const codes = app.config.views.map((view) => view.code);
    for (const panel of app.panels) panel.setView(codes[(codes.indexOf(panel.viewCode) + app.panels.length) % codes.length]);
    state.panelViews = app.panels.map((panel) => panel.viewCode);
    update({view: app.panels[0].viewCode});
  }, CYCLE_MS);
}

// Statistics and view decorations for the current window and area, then counts and legend.
async function refreshAll() {
  const serial = (app.serial = (app.serial || 0) + 1);
  const params = new URLSearchParams();
  if (state.unitId) params.set('unit', state.unitId);
  if (state.indicator) params.set('indicator', state.indicator);
  if (state.month) params.set('month', state.month);
  const stats = await getJSON(`/api/stats?${params}&datetime=${datetimeParam(state.window)}`);
  if (serial !== app.serial) return; // a newer request is on its way
  app.stats = stats;
  app.area.showStats(stats);
  document.body.dataset.statsWindow = `${stats.window.start}/${stats.window.end}`;
  await Promise.all(app.panels.map((panel) => decorate(panel)));
  for (const button of document.querySelectorAll('[data-view]')) button.setAttribute('aria-selected', String(button.dataset.view === state.view));
  // on a phone the tabs scroll sideways: the chosen one is brought into sight
  document.querySelector('#views [aria-selected=true]')?.scrollIntoView({block: 'nearest', inline: 'nearest'});
}

async function decorate(panel) {
  hideChoropleths(panel);
  let extra = '';
  const counts = {...app.stats.counts};
  for (const layer of panel.layersOf()) {
    if (layer.metrics.some((metric) => metric.period === 'month') && layer.geometry_type.endsWith('Polygon')) {
      const {html, areas} = await indicatorView(panel, layer);
      extra += html;
      counts[layer.id] = areas; // the areas with a value this month
    } else if (layer.metrics.length && layer.style.kind === 'circle') {
      const {metric, largest} = await applyMetricSizes(panel, layer, state.window);
      extra += sizeLegend(metric, largest, layer);
    }
    applyOverdue(panel, layer);
    if (applyDensity(panel, layer)) extra += densityLegend(layer, DENSITY_RAMP);
    if (isCameraLayer(layer)) panel.setCones(await cameraCones(layer));
  }
  const shown = panel.layersOf();
  panel.counts = counts;
  panel.titleElement.innerHTML = panelTitle(panel.view, counts, panel.map.getZoom());
  if (panel === app.panels[0]) renderLegend($('#legend'), shown.filter((layer) => !isDensityLayer(layer)), extra);
}

async function indicatorView(panel, layer) {
  const code = state.indicator || layer.metrics[0].code;
  const answer = await getJSON(`/api/indicators?indicator=${code}${state.month ? `&month=${state.month}` : ''}`);
  const bins = applyChoropleth(panel, layer, answer);
  const month = state.month || answer.indicator.month;
  const picker = panel === app.panels[0] ? `<div class="indicator-picker">
      <label>${escapeHtml(t('indicator'))} <select id="indicator">${layer.metrics.map((metric) =>
        `<option value="${metric.code}" ${metric.code === code ? 'selected' : ''}>${escapeHtml(title(metric))}</option>`).join('')}</select></label>
      <label>${escapeHtml(t('month'))} <select id="month">${answer.months.map((m) =>
        `<option ${m === month ? 'selected' : ''}>${m}</option>`).join('')}</select></label></div>` : '';
  queueMicrotask(() => {
    $('#indicator')?.addEventListener('change', (event) => update({indicator: event.target.value}));
    $('#month')?.addEventListener('change', (event) => update({indicator: code, month: event.target.value}));
  });
  const areas = answer.values.filter((row) => row.value !== null).length;
  return {html: picker + choroplethLegend(answer.indicator, bins), areas};
}

// Live events: the ticker and every panel's live layer draw them at once from the feed itself
// (live.js keeps the latest MAP_SIZE and hands them to panel.setLive); no tile is downloaded again for
// them. The figures (counts, cones, legend) are refreshed at most every LIVE_REFRESH_MS, however fast
// events arrive (a camera sends several a second).
const LIVE_REFRESH_MS = 30000;

function onLiveEvent(layer, message) {
  app.alarms?.onLive(layer, message);
  if (message.acknowledged) return; // an operator took a pinned event: nothing new to draw
  if (layer.panel === 'desk') app.desk?.onLive(message);
  if (app.liveTimer) return;
  app.liveTimer = setTimeout(() => {
    app.liveTimer = null;
    refreshAll();
  }, LIVE_REFRESH_MS);
}

start().catch((error) => {
  console.error(error);
  document.body.dataset.error = error.message;
});
