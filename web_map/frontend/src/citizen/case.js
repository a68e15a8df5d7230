// A public case page: code, title, category, status, the responsible unit, its times (Asia/Ho_Chi_Minh),
// the timeline of public steps and answers, the photos and the point. With the citizen's secret key
// (kept on this device at filing, or pasted) a resolved report can be rated 1–5 or reopened.
import {getJSON} from '../api.js';
import {escapeHtml} from '../text.js';
import {localLabel} from '../time.js';
import {keyStore} from './keys.js';
import {pointMarker, smallMap} from './smallmap.js';
import {label, t} from './strings.js';

const STARS = [1, 2, 3, 4, 5];

function when(iso) {
  return iso ? localLabel(Date.parse(iso)) : t('none');
}

function fact(id, name, value) {
  return `<dt>${escapeHtml(t(name))}</dt><dd id="${id}">${value}</dd>`;
}

function markup(report, statuses) {
  const status = statuses[report.status];
  const steps = report.timeline.map((step) => `<li><time datetime="${escapeHtml(step.at)}">${escapeHtml(when(step.at))}</time>
      <strong>${escapeHtml(label(statuses[step.status]) || step.status)}</strong>
      ${step.text ? `<p>${escapeHtml(step.text)}</p>` : ''}</li>`);
  const photo = (index) => `/phan-anh/${encodeURIComponent(report.code)}/anh/${index + 1}`;
  const photos = report.photos.map((_, index) => `<a href="${photo(index)}">
      <img src="${photo(index)}" alt="${escapeHtml(t('photosTitle'))} ${index + 1}"></a>`);
  return `<p id="case-code" class="code">${escapeHtml(report.code)}</p>
    <h1>${escapeHtml(report.title)}</h1>
    <dl class="facts">
      ${fact('category', 'category', escapeHtml(label(report.category)))}
      ${fact('status-fact', 'status', `<span id="status" class="status" style="--status:${escapeHtml(status?.color || '#888')}">${escapeHtml(label({vi: report.status_vi, en: report.status_en}))}</span>`)}
      ${fact('unit', 'unit', escapeHtml(report.unit || t('noUnit')))}
      ${fact('received-at', 'received', escapeHtml(when(report.received_at)))}
      ${fact('due-at', 'due', escapeHtml(when(report.due_at)))}
      ${fact('resolved-at', 'resolvedAt', escapeHtml(when(report.resolved_at)))}
    </dl>
    <section><h2>${escapeHtml(t('timeline'))}</h2><ol id="timeline">${steps.join('')}</ol></section>
    <section id="photos" ${photos.length ? '' : 'hidden'}><h2>${escapeHtml(t('photosTitle'))}</h2>
      <div class="photos">${photos.join('')}</div></section>
    <section><h2>${escapeHtml(t('place'))}</h2><div id="map" class="small"></div></section>
    <section id="actions" hidden></section>`;
}

async function post(url, fields) {
  const response = await fetch(url, {method: 'POST', body: new URLSearchParams(fields),
    headers: {Accept: 'application/json'}});
  const body = await response.json().catch(() => null);
  return {ok: response.ok, message: body?.description?.replace(/^[a-z_]+:\s*/, '') || ''};
}

// The rating stars and the reopen button for a resolved report; a field for the key without one.
function showActions(section, report) {
  const key = keyStore.recall(report.code);
  section.hidden = report.status !== 'resolved';
  if (!key) {
    section.innerHTML = `<h2>${escapeHtml(t('yourKey'))}</h2>
      <label for="key-input">${escapeHtml(t('pasteKey'))}</label>
      <div class="row"><input id="key-input" name="key" autocomplete="off"><button type="button" id="use-key">${escapeHtml(t('useKey'))}</button></div>`;
    section.querySelector('#use-key').addEventListener('click', () => {
      const pasted = section.querySelector('#key-input').value.trim();
      if (!pasted) return;
      keyStore.remember(report.code, pasted);
      showActions(section, report);
    });
    return;
  }
  const buttons = STARS.map((n) => `<button type="button" data-stars="${n}" aria-label="${escapeHtml(t('stars', n))}">★</button>`);
  section.innerHTML = `<h2>${escapeHtml(t('yourKey'))}</h2><p class="hint">${escapeHtml(t('keyKept'))}</p>
    <div id="rating"><p class="label">${escapeHtml(t('rate'))}</p><div class="stars">${buttons.join('')}</div>
      <p id="rating-result" hidden></p></div>
    <button type="button" id="reopen">${escapeHtml(t('reopen'))}</button>
    <p class="error" data-error-for="key" role="alert"></p>`;
  const error = section.querySelector('[data-error-for=key]');
  const base = `/api/feedback/reports/${encodeURIComponent(report.code)}`;
  section.querySelector('.stars').addEventListener('click', async (event) => {
    const stars = event.target.closest('[data-stars]')?.dataset.stars;
    if (!stars) return;
    const answer = await post(`${base}/rating`, {key, stars});
    error.textContent = answer.ok ? '' : answer.message;
    if (!answer.ok) return;
    section.querySelector('.stars').dataset.rated = stars;
    const result = section.querySelector('#rating-result');
    result.textContent = `${t('rated')} (${t('stars', Number(stars))})`;
    result.hidden = false;
  });
  section.querySelector('#reopen').addEventListener('click', async () => {
    const answer = await post(`${base}/reopen`, {key});
    error.textContent = answer.ok ? t('reopened') : answer.message;
    if (answer.ok) window.location.reload();
  });
}

export async function showCase(root, vocabularies, exposed) {
  const article = root.querySelector('#case');
  const code = article.dataset.code;
  const report = await getJSON(`/api/feedback/reports/${encodeURIComponent(code)}`);
  const statuses = Object.fromEntries(vocabularies.statuses.map((term) => [term.code, term]));
  document.title = `${report.code} – ${t('caseTitle')}`;
  article.innerHTML = markup(report, statuses);
  showActions(article.querySelector('#actions'), report);
  const center = [report.location.lon, report.location.lat];
  const map = await smallMap(article.querySelector('#map'), {center, zoom: 15});
  const point = pointMarker(map);
  point.place(center);
  Object.assign(exposed, {map, marker: point.marker, report});
  article.setAttribute('aria-busy', 'false');
}
