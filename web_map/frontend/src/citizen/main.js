// The citizens' pages' entry: the filing form (/phan-anh/) or a case page (/phan-anh/<code>).
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import './citizen.css';
import {showCase} from './case.js';
import {showForm} from './form.js';
import {t} from './strings.js';

maplibregl.setWorkerUrl(workerUrl);

const PAGES = {form: showForm, case: showCase};
const vocabularies = JSON.parse(document.getElementById('vocabularies').textContent);
window.citizen = {};

async function start() {
  const show = PAGES[document.body.dataset.page];
  if (!show) return;
  try {
    await show(document.getElementById('citizen'), vocabularies, window.citizen);
    document.body.dataset.ready = 'true';
  } catch (error) {
    document.body.dataset.error = String(error?.message || error);
    const notice = document.createElement('p');
    notice.className = 'notice';
    notice.textContent = t('loadFailed');
    document.getElementById('citizen').prepend(notice);
    throw error;
  }
}

start();
