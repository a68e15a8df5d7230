// The leaders' indicators (issue #22 item 7): a side panel that draws what /api/hub/ answers and nothing
// of its own: the indicator's choropleth on the main map (classes, bounds and colours from
// /api/hub/choropleth, the legend stating the bounds), the ranking of units (/api/hub/ranking), the chosen
// unit's trend with its target line (/api/hub/trend) and a comparison with a second unit
// (/api/hub/compare). Strings are this module's own (Vietnamese first, English second).
import {getJSON} from './api.js';
import {lang, number} from './i18n.js';
import {escapeHtml} from './text.js';
import './hub.css';

const STRINGS = {
  vi: {title: 'Chỉ tiêu điều hành', indicator: 'Chỉ tiêu', year: 'Năm', level: 'Cấp', method: 'Phân lớp',
    quantiles: 'Phân vị', jenks: 'Ngắt tự nhiên (Jenks)', commune: 'Xã, phường', agency: 'Sở, ngành',
    ranking: 'Xếp hạng', trend: 'Xu hướng', target: 'Kế hoạch', actual: 'Thực hiện', compare: 'So sánh với',
    none: '—', noData: 'không có số liệu', close: 'Đóng', plan: 'KH', difference: 'Chênh lệch'},
  en: {title: 'Leaders\' indicators', indicator: 'Indicator', year: 'Year', level: 'Level', method: 'Classes',
    quantiles: 'Quantiles', jenks: 'Natural breaks (Jenks)', commune: 'Communes, wards', agency: 'Departments',
    ranking: 'Ranking', trend: 'Trend', target: 'Target', actual: 'Actual', compare: 'Compare with',
    none: '—', noData: 'no data', close: 'Close', plan: 'plan', difference: 'Difference'},
};
const SOURCE = 'hub-choropleth';
const YEARS = 4; // the trend's years, up to the chosen one
const CHART = {width: 300, height: 120, left: 40, right: 16, top: 8, bottom: 20};

function s(key) {
  return (STRINGS[lang()] || STRINGS.vi)[key];
}

function value(x, indicator) {
  if (x === null || x === undefined) return s('noData');
  return number(x, Math.abs(x) < 10 ? 2 : 1) + (indicator?.unit ? ` ${indicator.unit}` : '');
}

export class HubPanel {
  // The panel's element is made here (an aside of the workspace, as the other side panels).
  constructor(app) {
    this.app = app;
    this.element = document.createElement('aside');
    Object.assign(this.element, {id: 'hub', className: 'side', hidden: true});
    this.element.setAttribute('aria-label', `${STRINGS.vi.title} / ${STRINGS.en.title}`);
    document.querySelector('#workspace').append(this.element);
    const year = new Date().getFullYear() - 1; // the last whole year (the page runs on the demo's clock)
    this.choice = {indicator: null, year, level: 'commune', method: 'quantiles', unit: null, other: null};
    this.element.addEventListener('change', (event) => this.onChange(event));
    this.element.addEventListener('click', (event) => {
      if (event.target.closest('.close')) this.app.showSide(null);
      const row = event.target.closest('[data-unit-code]');
      if (row) { this.choice.unit = row.dataset.unitCode; this.renderUnit(); }
    });
  }

  get visible() {
    return !this.element.hidden;
  }

  async show() {
    if (!this.catalogue) this.catalogue = (await getJSON(`/api/hub/indicators?lang=${lang()}`)).indicators;
    this.choice.indicator ||= this.catalogue[0].code;
    this.element.hidden = false;
    await this.render();
  }

  hide() {
    this.element.hidden = true;
    this.mapLayers('none');
  }

  indicator() {
    return this.catalogue.find((item) => item.code === this.choice.indicator);
  }

  onChange(event) {
    const name = event.target.dataset.choice;
    if (!name) return;
    this.choice[name] = name === 'year' ? Number(event.target.value) : event.target.value;
    if (name === 'other') return this.renderCompare();
    if (name !== 'method') this.choice.unit = null;
    if (name === 'indicator' && !this.indicator().levels.includes(this.choice.level)) {
      this.choice.level = this.indicator().levels.includes('commune') ? 'commune' : 'agency';
    }
    this.render();
  }

  controls() {
    const {indicator, year, level, method} = this.choice;
    const levels = ['commune', 'agency'].filter((code) => this.indicator().levels.includes(code));
    const now = new Date().getFullYear();
    const years = Array.from({length: YEARS}, (_, index) => now - index); // this year (partial) and before
    const select = (name, options, chosen) => `<label>${escapeHtml(s(name === 'indicator' ? 'indicator' : name))}
      <select data-choice="${name}" id="hub-${name}">${options.map(([code, label]) =>
  `<option value="${escapeHtml(String(code))}" ${String(code) === String(chosen) ? 'selected' : ''}>${escapeHtml(label)}</option>`).join('')}
      </select></label>`;
    return `${select('indicator', this.catalogue.map((item) => [item.code, item.name]), indicator)}
      <div class="hub-row">${select('year', years.map((y) => [y, String(y)]), year)}
      ${select('level', levels.map((code) => [code, s(code)]), level)}
      ${select('method', ['quantiles', 'jenks'].map((code) => [code, s(code)]), method)}</div>`;
  }

  async render() {
    const serial = (this.serial = (this.serial || 0) + 1);
    const {indicator, year, level, method} = this.choice;
    const params = new URLSearchParams({indicator, period: String(year), level, method, lang: lang()});
    const [map, ranking] = await Promise.all([
      getJSON(`/api/hub/choropleth?${params}&geometry=1`).catch((error) => ({error})),
      getJSON(`/api/hub/ranking?${params}`).catch((error) => ({error})),
    ]);
    if (serial !== this.serial) return;
    this.map = map;
    this.ranking = ranking;
    this.choice.unit ||= ranking.rows?.[0]?.code || null;
    this.element.innerHTML = `<header><h2>${escapeHtml(s('title'))}</h2>
        <button type="button" class="close" title="${escapeHtml(s('close'))}">×</button></header>
      ${this.controls()}
      ${map.error ? `<p class="error" role="alert">${escapeHtml(map.error.message)}</p>` : this.legend(map)}
      ${ranking.error ? '' : this.rankingList(ranking)}
      <section class="hub-trend" aria-live="polite"></section>
      <section class="hub-compare"></section>`;
    this.element.dataset.indicator = indicator;
    this.drawMap(map.error ? null : map);
    await this.renderUnit();
  }

  legend(map) {
    const rows = map.classes.map((c, index) => `<li data-class="${index}" data-lower="${c.lower}" data-upper="${c.upper}">
      <i style="background:${c.color}"></i>${index === 0 ? '' : '&gt; '}${escapeHtml(number(c.lower, 2))} – ${
  escapeHtml(number(c.upper, 2))} <small>(${c.count})</small></li>`).join('');
    return `<h3>${escapeHtml(map.indicator.name)} · ${escapeHtml(map.period.label)} <small>${escapeHtml(s(map.method))}</small></h3>
      <ul class="hub-legend" data-method="${map.method}">${rows || `<li>${escapeHtml(s('noData'))}</li>`}</ul>`;
  }

  rankingList(ranking) {
    const indicator = ranking.indicator;
    return `<h3>${escapeHtml(s('ranking'))}</h3><ol class="hub-ranking">${ranking.rows.map((row) => `
      <li><button type="button" data-unit-code="${escapeHtml(row.code)}" data-value="${row.value ?? ''}"
        aria-pressed="${row.code === this.choice.unit}"><b>${row.rank ?? '–'}</b> <span>${escapeHtml(row.name)}</span>
        <em>${escapeHtml(value(row.value, indicator))}</em>${row.pct_of_plan == null ? ''
    : ` <small>${number(row.pct_of_plan, 1)}% ${escapeHtml(s('plan'))}</small>`}</button></li>`).join('')}</ol>`;
  }

  runParams(unitParam) {
    const {indicator, year} = this.choice;
    return new URLSearchParams({indicator, period: 'year', from: String(year - YEARS + 1), to: String(year),
      lang: lang(), ...unitParam});
  }

  async renderUnit() {
    for (const button of this.element.querySelectorAll('[data-unit-code]')) {
      button.setAttribute('aria-pressed', String(button.dataset.unitCode === this.choice.unit));
    }
    const section = this.element.querySelector('.hub-trend');
    if (!section || !this.choice.unit) return;
    const answer = await getJSON(`/api/hub/trend?${this.runParams({unit: this.choice.unit})}`).catch(() => null);
    if (!answer) { section.innerHTML = ''; return; }
    this.trend = answer;
    section.innerHTML = `<h3>${escapeHtml(s('trend'))}: ${escapeHtml(answer.unit.name)}</h3>${chart(answer.points, answer.axis, answer.indicator)}`;
    section.dataset.unit = answer.unit.code;
    this.renderCompareChoice();
  }

  renderCompareChoice() {
    const section = this.element.querySelector('.hub-compare');
    const others = (this.ranking.rows || []).filter((row) => row.code !== this.choice.unit);
    if (!others.length) { section.innerHTML = ''; return; }
    if (!others.some((row) => row.code === this.choice.other)) this.choice.other = others[0].code;
    section.innerHTML = `<label>${escapeHtml(s('compare'))} <select data-choice="other" id="hub-other">${others.map((row) =>
      `<option value="${escapeHtml(row.code)}" ${row.code === this.choice.other ? 'selected' : ''}>${escapeHtml(row.name)}</option>`).join('')}</select></label>
      <table class="hub-comparison"></table>`;
    return this.renderCompare();
  }

  async renderCompare() {
    const table = this.element.querySelector('.hub-comparison');
    if (!table) return;
    const answer = await getJSON(`/api/hub/compare?${this.runParams({units: `${this.choice.unit},${this.choice.other}`})}`)
      .catch(() => null);
    if (!answer) return;
    const [a, b] = answer.units;
    table.innerHTML = `<thead><tr><th>${escapeHtml(s('year'))}</th><th>${escapeHtml(a.name)}</th><th>${escapeHtml(b.name)}</th>
      <th>${escapeHtml(s('difference'))}</th></tr></thead><tbody>${answer.rows.map((row) => `<tr data-period="${row.period}">
      <td>${row.period}</td>${row.values.map((x) => `<td>${escapeHtml(value(x))}</td>`).join('')}
      <td>${escapeHtml(value(row.difference))}</td></tr>`).join('')}</tbody>`;
  }

  // The choropleth on the main map: the shapes the API sent, filled with their class's colour.
  drawMap(answer) {
    const map = this.app.panels[0]?.map;
    if (!map) return;
    const data = answer?.features || {type: 'FeatureCollection', features: []};
    if (!map.getSource(SOURCE)) {
      map.addSource(SOURCE, {type: 'geojson', data});
      const below = map.getLayer('units-fade') ? 'units-fade' : undefined;
      map.addLayer({id: SOURCE, type: 'fill', source: SOURCE,
        paint: {'fill-color': ['coalesce', ['get', 'color'], 'rgba(0,0,0,0)'], 'fill-opacity': 0.75}}, below);
      map.addLayer({id: `${SOURCE}-line`, type: 'line', source: SOURCE, paint: {'line-color': '#222', 'line-width': 1}}, below);
    } else {
      map.getSource(SOURCE).setData(data);
    }
    this.mapLayers('visible');
  }

  mapLayers(visibility) {
    const map = this.app.panels[0]?.map;
    for (const id of [SOURCE, `${SOURCE}-line`]) if (map?.getLayer(id)) map.setLayoutProperty(id, 'visibility', visibility);
  }
}

// A line chart of the actual (solid, with dots) and the target (dashed) on the API's axis; every point
// carries its period and numbers as data attributes, as drawn.
function chart(points, axis, indicator) {
  const {width, height, left, right, top, bottom} = CHART;
  const span = axis.max - axis.min || 1;
  const step = points.length > 1 ? (width - left - right) / (points.length - 1) : 0;
  const x = (index) => left + index * step;
  const y = (v) => top + (1 - (v - axis.min) / span) * (height - top - bottom);
  const line = (key) => {
    let pen = 'M';
    return points.map((point, index) => {
      if (point[key] === null || point[key] === undefined) { pen = 'M'; return ''; }
      const part = `${pen}${x(index).toFixed(1)} ${y(point[key]).toFixed(1)}`;
      pen = 'L';
      return part;
    }).join(' ').trim();
  };
  const dots = points.map((point, index) => (point.actual === null || point.actual === undefined ? '' : `<circle
    cx="${x(index).toFixed(1)}" cy="${y(point.actual).toFixed(1)}" r="3" data-period="${point.period}"
    data-actual="${point.actual}" data-target="${point.target ?? ''}"><title>${point.period}: ${escapeHtml(value(point.actual, indicator))}${
  point.target == null ? '' : ` (${escapeHtml(s('target'))} ${escapeHtml(value(point.target, indicator))})`}</title></circle>`)).join('');
  const labels = points.map((point, index) => `<text x="${x(index).toFixed(1)}" y="${height - 5}" text-anchor="middle">${point.period}</text>`).join('');
  const target = line('target');
  return `<svg class="hub-chart" viewBox="0 0 ${width} ${height}" role="img" data-min="${axis.min}" data-max="${axis.max}"
      aria-label="${escapeHtml(`${indicator.name}: ${s('actual')} / ${s('target')}`)}">
    <text x="${left - 4}" y="${top + 4}" text-anchor="end">${escapeHtml(number(axis.max, 2))}</text>
    <text x="${left - 4}" y="${height - bottom}" text-anchor="end">${escapeHtml(number(axis.min, 2))}</text>
    <line class="axis" x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}"/>
    ${target ? `<path class="target" d="${target}"/>` : ''}
    <path class="actual" d="${line('actual')}"/>${dots}${labels}</svg>
    <p class="hub-key"><span class="actual">━ ${escapeHtml(s('actual'))}</span> <span class="target">┅ ${escapeHtml(s('target'))}</span></p>`;
}
