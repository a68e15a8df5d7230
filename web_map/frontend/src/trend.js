// Trend lines of the KPI panel: the area's declared figures week by week (/api/trend), each drawn as
// a small SVG sparkline under the figures, the latest week's value beside it. Strings are this
// module's own (Vietnamese first, English second).
import {getJSON} from './api.js';
import {lang, number, title} from './i18n.js';
import {escapeHtml} from './text.js';
import {localIso} from './time.js';
import './trend.css';

export const WEEKS = 12;
const STRINGS = {
  vi: {trend: `Xu hướng ${WEEKS} tuần`, week: 'Tuần', noData: 'không có số liệu', count: 'Số lượng'},
  en: {trend: `${WEEKS}-week trend`, week: 'Week', noData: 'no data', count: 'Count'},
};
const WIDTH = 96;
const HEIGHT = 22;
const PAD = 2;
const KEEP_MS = 60e3; // a trend asked again within a minute (views cycling) is not fetched again
const answers = new Map(); // url → {at, promise}

function s(key) {
  return (STRINGS[lang()] || STRINGS.vi)[key];
}

// The trend of a layer for a unit (or the city), the weeks up to `until` (YYYY-MM-DD).
export function trendUrl(layerId, unitId, until) {
  const params = new URLSearchParams({layer: layerId, weeks: String(WEEKS), until});
  if (unitId) params.set('unit', unitId);
  return `/api/trend?${params}`;
}

function fetchTrend(url) {
  const kept = answers.get(url);
  if (kept && Date.now() - kept.at < KEEP_MS) return kept.promise;
  const promise = getJSON(url).catch(() => null); // a layer the viewer may not read: no line
  answers.set(url, {at: Date.now(), promise});
  return promise;
}

// The path of a series scaled into the box; a week without a value breaks the line.
function linePath(values) {
  const known = values.filter((value) => value !== null && value !== undefined);
  if (!known.length) return {path: '', last: null};
  const low = Math.min(...known);
  const span = Math.max(...known) - low || 1;
  const step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
  let path = '';
  let pen = 'M';
  let last = null;
  values.forEach((value, index) => {
    if (value === null || value === undefined) {
      pen = 'M';
      return;
    }
    const x = PAD + index * step;
    const y = HEIGHT - PAD - ((value - low) / span) * (HEIGHT - 2 * PAD);
    path += `${pen}${x.toFixed(1)} ${y.toFixed(1)} `;
    pen = 'L';
    last = {x, y};
  });
  return {path: path.trim(), last};
}

function shown(value, kpi) {
  if (value === null || value === undefined) return s('noData');
  return `${number(value, 1)}${kpi?.unit ? ` ${kpi.unit}` : ''}`;
}

// One sparkline: the series of `code` (scaled for display), with each week's value as its title.
export function sparkline(code, label, values, weeks, kpi) {
  const scaled = values.map((value) => (typeof value !== 'number' ? null : value * (kpi?.scale ?? 1))); // "< 5": no point
  const {path, last} = linePath(scaled);
  const lines = weeks.map((week, index) => `${s('week')} ${week.week}: ${shown(scaled[index], kpi)}`).join('\n');
  const latest = scaled[scaled.length - 1];
  return `<li data-trend="${escapeHtml(code)}" data-values="${escapeHtml(JSON.stringify(values))}"
      ${kpi?.kind === 'overdue' ? 'class="alert"' : ''}>
    <span>${escapeHtml(label)}</span>
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`${label}: ${s('trend')}`)}">
      <title>${escapeHtml(lines)}</title>
      ${path ? `<path d="${path}"/>` : ''}
      ${last ? `<circle cx="${last.x.toFixed(1)}" cy="${last.y.toFixed(1)}" r="2"/>` : ''}
    </svg>
    <b>${escapeHtml(latest === null || latest === undefined ? '–' : number(latest, 1))}</b></li>`;
}

// The rows of one layer's answer: its count (of a layer the time control narrows), then each figure
// that is a single number.
function rows(layer, answer) {
  const count = layer.time_filtered && answer.series.count ? [sparkline(`count:${layer.id}`, `${s('count')}: ${title(layer)}`,
    answer.series.count, answer.weeks, null)] : [];
  const figures = answer.kpis.filter((kpi) => !kpi.by && answer.series[kpi.code])
    .map((kpi) => sparkline(kpi.code, title(kpi), answer.series[kpi.code], answer.weeks, kpi));
  return [...count, ...figures].join('');
}

// Draw the trend lines of the layers whose figures the panel `stats` shows, into `element` (the
// area panel calls it after each /api/stats answer; the window's last day picks the last week).
export async function showTrends(element, app, stats) {
  const until = localIso(Date.parse(stats.window.end) - 1).slice(0, 10);
  const layers = app.config.layers.filter((layer) => (layer.kpis || [])
    .some((kpi) => !kpi.by && stats[kpi.code] !== undefined));
  const found = await Promise.all(layers.map((layer) => fetchTrend(trendUrl(layer.id, stats.unit?.id, until))));
  const html = layers.map((layer, index) => (found[index] ? rows(layer, found[index]) : '')).join('');
  element.innerHTML = html ? `<h3>${escapeHtml(s('trend'))}</h3><ul class="trends">${html}</ul>` : '';
  element.dataset.until = until;
}
