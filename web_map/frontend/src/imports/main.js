// The import page's entry (/nhap-du-lieu/): sign in, upload, match columns, dry run, confirm; all through
// /api/imports/ (the same engine as `ioc import`), polling the queue's progress.
import './imports.css';
import {ApiError, getJSON, send, sendForm, setCsrfToken} from '../api.js';
import {el, option} from './dom.js';
import {showMapping, mappingOf} from './mapping.js';
import {showReport} from './report.js';
import {LANG, t} from './strings.js';

const root = document.getElementById('importer');
const POLL_MS = 500;
const lang = LANG === 'en' ? '?lang=en' : '';
const api = (path) => `/api/imports/${path}${lang}`;
const state = {upload: null, step: null, options: null, info: null};

function notice(text, kind = 'error') {
  root.querySelector('.notice')?.remove();
  if (text) root.prepend(el('p', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', text}));
}

async function guarded(work) {
  notice('');
  try {
    await work();
  } catch (error) {
    notice(error instanceof ApiError ? error.message : String(error));
    document.body.dataset.busy = 'false';
  }
}

function showSignIn() {
  const form = el('form', {id: 'sign-in'}, el('h2', {text: t('signIn')}),
    el('label', {}, t('username'), el('input', {name: 'username', autocomplete: 'username', required: true})),
    el('label', {}, t('password'), el('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true})),
    el('button', {type: 'submit', text: t('signInButton')}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await send('POST', `/api/session/login${lang}`, {username: form.username.value, password: form.password.value});
      window.location.reload();
    });
  });
  root.append(form);
}

function showUpload() {
  const form = el('form', {id: 'upload'},
    el('label', {}, t('file'), el('input', {type: 'file', name: 'file', required: true,
      accept: '.gpkg,.zip,.shp,.geojson,.json,.fgb,.csv,.xlsx'})),
    el('small', {text: t('maxSize')(state.info.max_mb)}),
    el('button', {type: 'submit', text: t('upload')}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const data = new FormData();
      data.append('file', form.file.files[0]);
      form.querySelector('button').textContent = t('uploading');
      state.upload = await sendForm(api(''), data);
      form.querySelector('button').textContent = t('upload');
      showLayerChoice();
    });
  });
  root.append(form);
}

function showLayerChoice() {
  root.querySelector('#choose')?.remove();
  const layers = state.info.layers.map((layer) => option(layer.id, LANG === 'en' ? layer.title_en : layer.title_vi));
  const sources = state.upload.source_layers || [];
  const form = el('form', {id: 'choose'},
    el('p', {class: 'file-name', text: `${state.upload.name} (${Math.ceil(state.upload.size / 1024)} kB)`}),
    el('label', {}, t('layer'), el('select', {name: 'layer'}, ...layers)),
    sources.length ? el('label', {}, t('sourceLayer'), el('select', {name: 'source_layer'}, ...sources.map((s) => option(s, s)))) : null,
    el('button', {type: 'submit', text: t('showColumns')}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const source = form.source_layer?.value || '';
      const query = new URLSearchParams({layer: form.layer.value, ...(source ? {source_layer: source} : {})});
      if (LANG === 'en') query.set('lang', 'en');
      state.step = await getJSON(`/api/imports/${state.upload.id}/columns?${query}`);
      state.step.source_layer = source;
      showMappingStep();
    });
  });
  root.append(form);
}

function showMappingStep() {
  for (const id of ['#run', '#dry-run-report', '#load-report', '#confirm-step']) root.querySelector(id)?.remove();
  const modes = state.info.modes.filter((mode) => !(state.info.ward_bound && mode === 'replace'));
  const form = el('form', {id: 'run'}, showMapping(state.step),
    el('label', {}, t('mode'), el('select', {name: 'mode'}, ...modes.map((m) => option(m, t('modes')[m])))),
    el('label', {class: 'check'}, el('input', {type: 'checkbox', name: 'load_valid'}), t('loadValid')),
    state.info.ward_bound ? el('p', {class: 'hint', text: t('wardBound')}) : null,
    el('p', {class: 'missing', 'aria-live': 'polite'}),
    el('button', {type: 'submit', id: 'dry-run', text: t('dryRun')}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const {mapping, missing} = mappingOf(form, state.step);
    form.querySelector('.missing').textContent = missing.length ? t('missingRequired')(missing.join(', ')) : '';
    if (missing.length) return;
    guarded(async () => {
      state.options = {layer: state.step.layer, mode: form.mode.value, load_valid: form.load_valid.checked, mapping,
        source_layer: state.step.source_layer || null};
      await send('POST', api(`${state.upload.id}/dry-run`), state.options);
      const done = await follow();
      showDryRun(done);
    });
  });
  root.append(form);
}

// Poll the upload until its run ends, showing the engine's progress.
async function follow() {
  document.body.dataset.busy = 'true';
  const bar = el('div', {id: 'progress'}, el('span', {text: t('queued')}), el('progress', {}));
  root.querySelector('#progress')?.remove();
  root.append(bar);
  for (;;) {
    const current = await getJSON(api(state.upload.id));
    if (!['checking', 'loading'].includes(current.status)) {
      bar.remove();
      document.body.dataset.busy = 'false';
      state.upload = current;
      return current;
    }
    if (current.progress) {
      bar.querySelector('span').textContent = current.progress.message;
      const meter = bar.querySelector('progress');
      if (current.progress.total) Object.assign(meter, {max: current.progress.total, value: current.progress.done});
    } else {
      bar.querySelector('span').textContent = t('running');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function showDryRun(current) {
  for (const id of ['#dry-run-report', '#confirm-step', '#load-report']) root.querySelector(id)?.remove();
  const outcome = current.dry_run;
  root.append(showReport(outcome, 'dry_run', api(`${current.id}/refused`) + (lang ? '&' : '?') + 'run=dry_run'));
  if (outcome.status !== 'dry_run') {
    root.append(el('p', {id: 'confirm-step', class: 'notice error', text: t('refusedAll')}));
    return;
  }
  const deleted = outcome.counts.deleted || 0;
  const replace = state.options.mode === 'replace';
  const step = el('form', {id: 'confirm-step'},
    replace ? el('p', {class: 'deletes', text: t('deletes')(deleted)}) : null,
    replace ? el('label', {class: 'check'}, el('input', {type: 'checkbox', name: 'confirm_delete'}), t('confirmDelete')(deleted)) : null,
    el('button', {type: 'submit', id: 'confirm', text: t('confirm')}));
  if (replace) {
    const button = step.querySelector('button');
    button.disabled = true;
    step.confirm_delete.addEventListener('change', () => { button.disabled = !step.confirm_delete.checked; });
  }
  step.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await send('POST', api(`${current.id}/load`), replace ? {confirm_delete: deleted} : {});
      const done = await follow();
      step.remove();
      root.append(showReport(done.load, 'load', api(`${done.id}/refused`) + (lang ? '&' : '?') + 'run=load'));
      root.append(el('p', {id: 'result', 'data-status': done.status, text: done.status === 'loaded' ? t('loaded') : t('failed')}),
        el('p', {}, el('a', {href: `/nhap-du-lieu/${lang}`, text: t('another')})));
    });
  });
  root.append(step);
}

async function start() {
  root.append(el('h1', {text: t('title')}), el('p', {class: 'intro', text: t('intro')}));
  const session = await getJSON('/api/session');
  setCsrfToken(session.csrfToken);
  document.getElementById('user').textContent = session.username || '';
  if (!session.username) { // (a 401 would make the browser ask for Basic credentials itself)
    showSignIn();
    document.body.dataset.ready = 'true';
    return;
  }
  try {
    state.info = await getJSON(api(''));
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) notice(t('notAllowed'));
    else throw error;
    document.body.dataset.ready = 'true';
    return;
  }
  showUpload();
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  document.body.dataset.error = String(error?.message || error);
  notice(t('loadFailed'));
});
