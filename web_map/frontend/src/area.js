// The side panel: find an area (search with or without diacritics, breadcrumbs, children) and
// its figures for the window (the KPI panel, from /api/stats).
import {number, t, title} from './i18n.js';
import {escapeHtml} from './text.js';
import {localLabel} from './time.js';

export class AreaPanel {
  constructor(element, app, onSelect) {
    this.app = app;
    this.onSelect = onSelect;
    element.innerHTML = `
      <div class="search"><input id="unit-search" type="search" autocomplete="off"
        placeholder="${escapeHtml(t('search'))}" aria-label="${escapeHtml(t('search'))}">
        <ul id="unit-results" role="listbox"></ul></div>
      <nav id="breadcrumbs" aria-label="${escapeHtml(t('area'))}"></nav>
      <div id="unit-children"></div>
      <section id="kpi" aria-live="polite"></section>`;
    this.input = element.querySelector('#unit-search');
    this.results = element.querySelector('#unit-results');
    this.crumbs = element.querySelector('#breadcrumbs');
    this.childList = element.querySelector('#unit-children');
    this.kpi = element.querySelector('#kpi');
    this.input.addEventListener('input', () => this.showResults());
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.results.querySelector('button')?.click();
    });
    element.addEventListener('click', (event) => {
      const button = event.target.closest('[data-unit]');
      if (!button) return;
      this.results.innerHTML = '';
      this.input.value = '';
      onSelect(button.dataset.unit === 'city' ? null : Number(button.dataset.unit));
    });
  }

  unitButton(unit, extra = '') {
    const tree = this.app.units.treeOf(unit.id);
    const parent = this.app.units.get(unit.parent_id);
    return `<button type="button" data-unit="${unit.id}" ${extra}>${escapeHtml(unit.name)}
      <small>${escapeHtml(parent ? parent.name : '')} · ${escapeHtml(title(tree))}</small></button>`;
  }

  showResults() {
    const found = this.app.units.search(this.input.value);
    this.results.innerHTML = found.map((unit) => `<li>${this.unitButton(unit)}</li>`).join('');
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

  showStats(stats) {
    const legend = (subsystemField) => legendOf(this.app.config, subsystemField);
    const counts = Object.entries(stats.counts || {}).map(([id, n]) => {
      const layer = this.app.config.layers.find((candidate) => candidate.id === id);
      return layer ? `<dt>${escapeHtml(title(layer))}</dt><dd data-kpi="count:${id}">${number(n)}</dd>` : '';
    }).join('');
    const terms = (values, field) => Object.entries(values || {}).map(([code, n]) => {
      const term = legend(field)[code];
      return `<li><i style="background:${term?.color || '#999'}"></i>${escapeHtml(term ? title(term) : code)}
        <b data-kpi="${field}:${code}">${number(n)}</b></li>`;
    }).join('');
    const landUse = (stats.parcel_area_by_land_use || []).filter((row) => row.parcels > 0);
    const totalArea = landUse.reduce((sum, row) => sum + row.area_m2, 0) || 1;
    const indicator = stats.indicator;
    this.kpi.innerHTML = `
      <h2>${escapeHtml(t('kpi'))}: <span data-kpi="unit">${escapeHtml(stats.unit?.name || t('wholeCity'))}</span></h2>
      <p class="window">${localLabel(Date.parse(stats.window.start))} – ${localLabel(Date.parse(stats.window.end))}</p>
      <dl class="counts">${counts}
        ${stats.reports_overdue === undefined ? '' : `<dt>${escapeHtml(t('overdue'))}</dt><dd class="alert" data-kpi="overdue">${number(stats.reports_overdue)}</dd>`}
        ${stats.lodging_guests === undefined ? '' : `<dt>${escapeHtml(t('guests'))}</dt><dd data-kpi="guests">${number(stats.lodging_guests)}</dd>`}
      </dl>
      ${stats.incidents_by_severity ? `<h3>${escapeHtml(t('bySeverity'))}</h3><ul class="terms">${terms(stats.incidents_by_severity, 'severity')}</ul>` : ''}
      ${stats.detections_by_class ? `<h3>${escapeHtml(t('byClass'))}</h3><ul class="terms">${terms(stats.detections_by_class, 'object_class')}</ul>` : ''}
      ${indicator ? `<h3>${escapeHtml(t('indicator'))}: ${escapeHtml(title(indicator))} (${escapeHtml(indicator.month || '')})</h3>
        <p class="indicator" data-kpi="indicator">${indicator.value == null ? escapeHtml(t('noData')) : `${number(indicator.value, 2)} ${escapeHtml(indicator.unit)}`}</p>` : ''}
      ${landUse.length ? `<h3>${escapeHtml(t('landUse'))}</h3><ul class="bars">${landUse.map((row) => `
        <li title="${escapeHtml(title(row))}"><span class="bar" style="width:${(100 * row.area_m2) / totalArea}%;background:${row.color}"></span>
          <span>${escapeHtml(row.code)} ${escapeHtml(title(row))}</span>
          <b data-kpi="landuse:${row.code}" data-parcels="${row.parcels}">${number(row.area_m2 / 10000, 2)} ha</b></li>`).join('')}</ul>` : ''}`;
  }
}

// code → legend term of the layer styled by `field`.
function legendOf(config, field) {
  const layer = config.layers.find((candidate) => candidate.style.by === field);
  return Object.fromEntries((layer?.style.legend || []).map((term) => [term.code, term]));
}
