// The side panel: the search box (search.js), the area (breadcrumbs, children) and
// its figures for the window (the KPI panel, from /api/stats) with their weekly trend (trend.js).
import {number, t, title, unitOf} from './i18n.js';
import {escapeHtml} from './text.js';
import {SearchBox} from './search.js';
import {localLabel} from './time.js';
import {showTrends} from './trend.js';

export class AreaPanel {
  constructor(element, app, onSelect) {
    this.app = app;
    this.onSelect = onSelect;
    element.innerHTML = `
      <div class="search"></div>
      <nav id="breadcrumbs" aria-label="${escapeHtml(t('area'))}"></nav>
      <div id="unit-children"></div>
      <section id="kpi" aria-live="polite"></section>`;
    this.search = new SearchBox(element.querySelector('.search'), app, onSelect);
    this.crumbs = element.querySelector('#breadcrumbs');
    this.childList = element.querySelector('#unit-children');
    this.kpi = element.querySelector('#kpi');
    element.addEventListener('click', (event) => {
      const button = event.target.closest('[data-unit]');
      if (!button) return;
      onSelect(button.dataset.unit === 'city' ? null : Number(button.dataset.unit));
    });
  }

  showUnit(unitId) {
    const units = this.app.units;
    const path = unitId ? units.path(unitId) : [];
    this.crumbs.innerHTML = [`<button type="button" data-unit="city">${escapeHtml(t('wholeCity'))}</button>`,
      ...path.map((unit) => `<button type="button" data-unit="${unit.id}" ${unit.id === unitId ? 'aria-current="page"' : ''}>
        ${escapeHtml(unit.name)}<small>${escapeHtml(t(unit.level))}</small></button>`)].join('<span aria-hidden="true">›</span>');
    const children = unitId ? units.childrenOf(unitId) : units.childrenOf(units.defaultTree().root_id);
    this.childList.innerHTML = children.map((unit) => `<button type="button" data-unit="${unit.id}">${escapeHtml(unit.name)}</button>`).join('');
  }

  // The figures: what needs acting on first (overdue figures), the counts of the view's own layers
  // (marked), then those of events in the window (incidents, reports…), then the other layers' counts,
  // then each declared KPI (layers' `kpis` in /api/layers) the answer holds, drawn by its shape.
  showStats(stats) {
    const layers = this.app.config.layers;
    const view = this.app.config.views.find((candidate) => candidate.code === this.app.state.view);
    const own = (id) => Boolean(view?.layers.includes(id));
    const rank = (id) => (own(id) ? 0 : layers.find((layer) => layer.id === id)?.time_field ? 1 : 2);
    const counts = Object.entries(stats.counts || {}).sort(([a], [b]) => rank(a) - rank(b)).map(([id, n]) => {
      const layer = layers.find((candidate) => candidate.id === id);
      const mark = own(id) ? ' class="in-view"' : '';
      return layer ? `<dt${mark}>${escapeHtml(title(layer))}</dt><dd${mark} data-kpi="count:${id}">${number(n)}</dd>` : '';
    }).join('');
    const declared = layers.flatMap((layer) => (layer.kpis || [])
      .filter((kpi) => stats[kpi.code] !== undefined).map((kpi) => ({layer, kpi, value: stats[kpi.code]})));
    const scalar = ({kpi, value}) => `<dt>${escapeHtml(title(kpi))}</dt>
      <dd ${kpi.kind === 'overdue' ? 'class="alert"' : ''} data-kpi="${kpi.code}">${figure(kpi, value)}</dd>`;
    const scalars = declared.filter(({kpi}) => !kpi.by);
    const overdue = scalars.filter(({kpi}) => kpi.kind === 'overdue').map(scalar).join('');
    const others = scalars.filter(({kpi}) => kpi.kind !== 'overdue').map(scalar).join('');
    const groups = declared.filter(({kpi}) => kpi.by).map(({layer, kpi, value}) => `<h3>${escapeHtml(title(kpi))}</h3>
      ${kpi.kind === 'sum' ? bars(layer, kpi, value) : terms(layer, kpi, value)}`).join('');
    const indicator = stats.indicator;
    this.kpi.innerHTML = `
      <h2>${escapeHtml(t('kpi'))}: <span data-kpi="unit">${escapeHtml(stats.unit?.name || t('wholeCity'))}</span></h2>
      <p class="window">${localLabel(Date.parse(stats.window.start))} – ${localLabel(Date.parse(stats.window.end))}</p>
      <dl class="counts">${overdue}${counts}${others}</dl>
      ${groups}
      ${indicator ? `<h3>${escapeHtml(t('indicator'))}: ${escapeHtml(title(indicator))} (${escapeHtml(indicator.month || '')})</h3>
        <p class="indicator" data-kpi="indicator">${indicator.value == null ? escapeHtml(t('noData')) : `${number(indicator.value, 2)} ${escapeHtml(unitOf(indicator))}`}</p>` : ''}
      <div id="kpi-trend"></div>`;
    return showTrends(this.kpi.querySelector('#kpi-trend'), this.app, stats);
  }
}

// A number of the panel in the KPI's unit (an area in m² shown in ha: scale 0.0001).
function figure(kpi, value) {
  if (value === null || value === undefined) return escapeHtml(t('noData'));
  if (typeof value === 'string') return escapeHtml(value); // a small count hidden from anonymous visitors: "< 5"
  return `${number(value * (kpi.scale ?? 1), 2)}${kpi.unit ? ` ${escapeHtml(kpi.unit)}` : ''}`;
}

// The terms of the coded field `field` of a layer: colour and labels, from its legend or its values.
function legendOf(layer, field) {
  if (layer.style.by === field) return Object.fromEntries(layer.style.legend.map((term) => [term.code, term]));
  const values = layer.fields.find((candidate) => candidate.name === field)?.values || {};
  return Object.fromEntries(Object.entries(values).map(([code, [vi, en]]) => [code, {code, vi, en}]));
}

// A count per code: {code: n}.
function terms(layer, kpi, values) {
  const legend = legendOf(layer, kpi.by);
  return `<ul class="terms">${Object.entries(values || {}).map(([code, n]) => {
    const term = legend[code];
    return `<li><i style="background:${term?.color || '#999'}"></i>${escapeHtml(term ? title(term) : code)}
      <b data-kpi="${kpi.code}:${code}">${number(n)}</b></li>`;
  }).join('')}</ul>`;
}

// A sum per code, as bars: [{code, vi, en, color, value, count}].
function bars(layer, kpi, rows) {
  const shown = (rows || []).filter((row) => row.count > 0);
  const total = shown.reduce((sum, row) => sum + row.value, 0) || 1;
  return `<ul class="bars">${shown.map((row) => `
    <li title="${escapeHtml(title(row))}"><span class="bar" style="width:${(100 * row.value) / total}%;background:${row.color || '#999'}"></span>
      <span>${escapeHtml(row.code)} ${escapeHtml(title(row))}</span>
      <b data-kpi="${kpi.code}:${row.code}" data-count="${row.count}">${figure(kpi, row.value)}</b></li>`).join('')}</ul>`;
}
