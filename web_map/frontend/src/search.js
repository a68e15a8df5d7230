// The one search box: wards, parcels ("tờ 1 thửa 9", "1/9"), addresses, streets, facilities, codes,
// cameras and (for those allowed) owners, ranked by /api/search; choosing a hit flies to it and
// outlines it. A ward drills down to it; districts and provinces come from the unit tree.
import {getJSON} from './api.js';
import {lang, t, title} from './i18n.js';
import {state, update} from './state.js';
import {sourceOf} from './style.js';
import {escapeHtml} from './text.js';

const TYPING_MS = 200;
const HIT = 'search-hit';
const POINT_ZOOM = 17;
const MAX_ZOOM = 19;

export class SearchBox {
  // `element` holds the input and the list; `onUnit(id)` drills down to an administrative unit.
  constructor(element, app, onUnit) {
    this.app = app;
    this.onUnit = onUnit;
    this.hits = [];
    element.innerHTML = `<input id="unit-search" type="search" autocomplete="off"
        placeholder="${escapeHtml(t('search'))}" aria-label="${escapeHtml(t('search'))}">
      <ul id="unit-results" role="listbox" aria-label="${escapeHtml(t('searchResults'))}"></ul>`;
    this.input = element.querySelector('#unit-search');
    this.list = element.querySelector('#unit-results');
    this.input.addEventListener('input', () => {
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.find(this.input.value), TYPING_MS);
    });
    this.input.addEventListener('keydown', async (event) => {
      if (event.key === 'Escape') this.clear();
      if (event.key !== 'Enter') return;
      clearTimeout(this.typing); // Enter before the hits came: find them first
      if (this.shownFor !== this.input.value) await this.find(this.input.value);
      this.list.querySelector('button')?.click();
    });
    this.list.addEventListener('click', (event) => {
      const button = event.target.closest('[data-hit]');
      if (button) this.choose(this.hits[Number(button.dataset.hit)]);
    });
  }

  clear() {
    clearTimeout(this.typing);
    this.serial = (this.serial || 0) + 1;
    this.input.value = '';
    this.list.innerHTML = '';
    this.hits = [];
    this.shownFor = null;
  }

  // The hits of the server, then districts and provinces of the tree (the server finds communes).
  async find(query) {
    const serial = (this.serial = (this.serial || 0) + 1);
    if (query.trim().length < 2) {
      this.list.innerHTML = '';
      return;
    }
    const params = new URLSearchParams({q: query, lang: lang()});
    const chosen = this.app.units.get(state.unitId);
    if (chosen) params.set('ward', chosen.code);
    const answer = await getJSON(`/api/search?${params}`);
    if (serial !== this.serial) return; // the text changed meanwhile
    const larger = this.app.units.search(query).filter((unit) => unit.level !== 'commune')
      .map((unit) => ({kind: 'area', unit: unit.id, label: unit.name, kind_label: t(unit.level)}));
    this.hits = [...answer.results, ...larger];
    this.shownFor = query;
    this.list.innerHTML = this.hits.length ? this.hits.map((hit, index) => `<li><button type="button" role="option"
      data-hit="${index}" data-kind="${escapeHtml(hit.kind)}">${escapeHtml(hit.label)}
      <small>${escapeHtml(this.describe(hit))}</small></button></li>`).join('')
      : `<li class="none">${escapeHtml(t('searchNothing'))}</li>`;
  }

  // What a hit is and where: its kind, its ward (or a unit's tree), what matched.
  describe(hit) {
    const parts = [hit.kind_label];
    if (hit.unit) parts.push(title(this.app.units.treeOf(hit.unit)));
    if (hit.ward) parts.push(hit.ward);
    if (hit.detail) parts.push(hit.detail);
    return parts.join(' · ');
  }

  choose(hit) {
    this.clear();
    if (!hit) return;
    if (hit.unit) return this.onUnit(hit.unit);
    const layer = this.app.config.layers.find((candidate) => candidate.id === hit.layer);
    const view = this.app.config.views.find((candidate) => candidate.layers.includes(hit.layer));
    if (layer && !layer.basemap && view && !this.app.panels[0].view.layers.includes(hit.layer)) {
      update({view: view.code}); // a parcel is seen in the land view, a camera in the traffic one
    }
    flyTo(this.app, layer, hit);
  }
}

// Fly the main panel to a hit, close enough for its label, and outline it (from the layer's tiles).
function flyTo(app, layer, hit) {
  const map = app.panels[0].map;
  const [west, south, east, north] = hit.bbox;
  const camera = map.cameraForBounds([[west, south], [east, north]], {padding: 60, maxZoom: MAX_ZOOM});
  const least = Math.max(layer?.style.label_zoom ?? 0, layer?.style.min_zoom ?? 0);
  const zoom = west === east && south === north ? POINT_ZOOM : Math.max(camera?.zoom ?? POINT_ZOOM, least);
  outline(map, layer, hit);
  const key = `${hit.layer}:${hit.id}`;
  document.body.dataset.searchHit = '';
  const arrived = (event) => { // this flight's end, not that of a movement it interrupted
    if (event.searchHit !== key) return;
    map.off('moveend', arrived);
    document.body.dataset.searchHit = key;
  };
  map.on('moveend', arrived);
  map.flyTo({center: camera?.center ?? hit.point, zoom, duration: 800}, {searchHit: key});
}

function outline(map, layer, hit) {
  if (map.getLayer(HIT)) map.removeLayer(HIT);
  if (!layer) return;
  const base = {id: HIT, source: sourceOf(layer), 'source-layer': layer.id, filter: ['==', ['id'], hit.id]};
  map.addLayer(layer.style.kind === 'circle'
    ? {...base, type: 'circle', paint: {'circle-radius': 14, 'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': '#ffd400', 'circle-stroke-width': 4}}
    : {...base, type: 'line', paint: {'line-color': '#ffd400', 'line-width': 4}});
}
