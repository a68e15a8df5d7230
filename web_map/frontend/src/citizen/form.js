// The filing form: category, title, description, up to 3 photos (checked here, again by the server),
// a point tapped on the map or the phone's location, optional contact, the check question. On 201
// it shows the tracking code and the secret key (kept on this device for the case page).
import {escapeHtml} from '../text.js';
import {formErrors} from './errors.js';
import {pointMarker, smallMap} from './smallmap.js';
import {keyStore} from './keys.js';
import {label, langQuery, t} from './strings.js';

const MAX_PHOTOS = 3;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

function field(name, text, control, hint = '') {
  return `<div class="field" data-field="${name}">
    <label for="f-${name}">${escapeHtml(text)}</label>${control}
    ${hint ? `<p class="hint" id="h-${name}">${escapeHtml(hint)}</p>` : ''}
    <p class="error" data-error-for="${name}" role="alert"></p></div>`;
}

function markup(categories) {
  const options = categories.map((term) => `<option value="${escapeHtml(term.code)}">${escapeHtml(label(term))}</option>`);
  return `<h1>${escapeHtml(t('formTitle'))}</h1><p class="intro">${escapeHtml(t('intro'))}</p>
    ${field('category', t('category'), `<select id="f-category" name="category" required>
      <option value="">${escapeHtml(t('chooseCategory'))}</option>${options.join('')}</select>`)}
    ${field('title', t('title'), `<input id="f-title" name="title" required maxlength="300" autocomplete="off"
      placeholder="${escapeHtml(t('titleHint'))}">`)}
    ${field('description', t('description'), `<textarea id="f-description" name="description" rows="4"
      placeholder="${escapeHtml(t('descriptionHint'))}"></textarea>`)}
    ${field('photos', t('photos'), `<input id="f-photos" type="file" name="photos" multiple
      accept="image/jpeg,image/png,image/webp" aria-describedby="h-photos"><ul id="photo-list"></ul>`, t('photosHint'))}
    <div class="field" data-field="location">
      <label for="map">${escapeHtml(t('location'))}</label>
      <p class="hint">${escapeHtml(t('locationHint'))}</p>
      <div id="map" role="application" aria-label="${escapeHtml(t('location'))}"></div>
      <div class="row"><button type="button" id="use-location">${escapeHtml(t('useLocation'))}</button>
        <span id="point" aria-live="polite"></span></div>
      <input type="hidden" name="lon"><input type="hidden" name="lat">
      <p class="error" data-error-for="location" role="alert"></p></div>
    <fieldset class="contact"><legend>${escapeHtml(t('contact'))}</legend>
      <p class="hint">${escapeHtml(t('contactNote'))}</p>
      ${field('full_name', t('fullName'), '<input id="f-full_name" name="full_name" autocomplete="name" maxlength="200">')}
      ${field('phone', t('phone'), '<input id="f-phone" name="phone" type="tel" autocomplete="tel" maxlength="30">')}
      ${field('email', t('email'), '<input id="f-email" name="email" type="email" autocomplete="email" maxlength="254">')}
    </fieldset>
    ${field('answer', t('check'), `<p id="challenge-question" class="question"></p>
      <input type="hidden" name="challenge"><input id="f-answer" name="answer" inputmode="numeric" autocomplete="off"
      required size="4">`, t('checkHint'))}
    <p class="error" data-error-for="form" role="alert"></p>
    <button type="submit" class="primary">${escapeHtml(t('send'))}</button>`;
}

// Messages for the photos chosen, or [] when they may be sent.
function photoProblems(files) {
  if (files.length > MAX_PHOTOS) return [t('tooManyPhotos')];
  return files.filter((file) => file.size > MAX_PHOTO_BYTES).map((file) => t('photoTooBig', file.name));
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function showForm(root, vocabularies, exposed) {
  const form = root.querySelector('#report-form');
  document.title = `${t('formTitle')} – Toàn Cảnh`;
  form.innerHTML = markup(vocabularies.categories);
  const errors = formErrors(form);
  const input = (name) => form.elements.namedItem(name);

  async function newChallenge() {
    const response = await fetch('/api/feedback/challenge', {headers: {Accept: 'application/json'}});
    const {question, token} = await response.json();
    form.querySelector('#challenge-question').textContent = question;
    input('challenge').value = token;
    input('answer').value = '';
  }

  const photos = input('photos');
  photos.addEventListener('change', () => {
    const files = [...photos.files];
    errors.show('photos', photoProblems(files).join(' '));
    form.querySelector('#photo-list').innerHTML = files
      .map((file) => `<li>${escapeHtml(file.name)} · ${megabytes(file.size)}</li>`).join('');
  });

  const [map] = await Promise.all([smallMap(form.querySelector('#map')), newChallenge()]);
  const point = pointMarker(map);
  Object.assign(exposed, {map, marker: point.marker});
  function place(lon, lat) {
    point.place([lon, lat]);
    input('lon').value = String(lon);
    input('lat').value = String(lat);
    form.querySelector('#point').textContent = `${t('pointAt')}: ${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    errors.show('location', '');
  }
  map.on('click', (event) => place(event.lngLat.lng, event.lngLat.lat));

  form.querySelector('#use-location').addEventListener('click', () => {
    if (!navigator.geolocation) return errors.show('location', t('noLocation'));
    form.querySelector('#point').textContent = t('locating');
    navigator.geolocation.getCurrentPosition(
      ({coords}) => {
        place(coords.longitude, coords.latitude);
        map.jumpTo({center: [coords.longitude, coords.latitude], zoom: Math.max(map.getZoom(), 16)});
      },
      () => {
        form.querySelector('#point').textContent = '';
        errors.show('location', t('noLocation'));
      },
      {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000},
    );
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const missing = [
      ['category', !input('category').value, 'needCategory'], ['title', !input('title').value.trim(), 'needTitle'],
      ['photos', photoProblems([...photos.files]).length, null], ['location', !input('lon').value, 'needLocation'],
      ['answer', !input('answer').value.trim(), 'needAnswer'],
    ].filter(([, wrong]) => wrong);
    for (const [name, , key] of missing) errors.show(name, key ? t(key) : photoProblems([...photos.files]).join(' '));
    if (missing.length) return errors.focusFirst();
    await send(form, errors, newChallenge, root);
  });
  form.setAttribute('aria-busy', 'false');
}

async function send(form, errors, newChallenge, root) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  button.textContent = t('sending');
  try {
    const response = await fetch('/api/feedback/reports', {method: 'POST', body: new FormData(form),
      headers: {Accept: 'application/json'}});
    const body = await response.json().catch(() => null);
    if (response.status === 201) return showResult(root, form, body);
    const [name, message] = errors.fromServer(response.status, body?.description || t('failed'));
    if (name === 'answer') await newChallenge();
    errors.show(name, message);
    errors.focusFirst();
  } catch {
    errors.show('form', t('failed'));
  } finally {
    button.disabled = false;
    button.textContent = t('send');
  }
}

function showResult(root, form, {code, case_url: caseUrl, key}) {
  keyStore.remember(code, key);
  const result = root.querySelector('#result');
  result.innerHTML = `<h1>${escapeHtml(t('sent'))}</h1>
    <p class="label">${escapeHtml(t('codeLabel'))}</p><p id="code" class="code">${escapeHtml(code)}</p>
    <p class="label">${escapeHtml(t('keyLabel'))}</p><p id="key" class="key">${escapeHtml(key)}</p>
    <p class="hint">${escapeHtml(t('keyNote'))}</p>
    <p><a id="case-link" class="button primary" href="${escapeHtml(caseUrl + langQuery())}">${escapeHtml(t('openCase'))}</a></p>
    <p><a class="button" href="/phan-anh/${langQuery()}">${escapeHtml(t('another'))}</a></p>`;
  form.hidden = true;
  result.hidden = false;
  window.scrollTo(0, 0);
}
