// The page's state, kept in the URL hash so that a view, window and area can be shared.
import {PRESETS, presetWindow} from './time.js';

const listeners = new Set();

export const state = {
  view: 'security', preset: 'last30d', window: presetWindow(PRESETS.last30d), unitId: null,
  panels: 1, panelViews: [], cycle: false, indicator: null, month: null, ortho: false,
};

export function onChange(listener) {
  listeners.add(listener);
}

export function update(changes) {
  const changed = Object.keys(changes).filter((key) => JSON.stringify(state[key]) !== JSON.stringify(changes[key]));
  if (!changed.length) return;
  Object.assign(state, changes);
  writeHash();
  for (const listener of listeners) listener(changed);
}

function writeHash() {
  const params = new URLSearchParams();
  params.set('view', state.view);
  if (state.preset) params.set('preset', state.preset);
  else params.set('window', `${state.window.start}/${state.window.end}`);
  if (state.unitId) params.set('unit', state.unitId);
  if (state.panels > 1) params.set('panels', `${state.panels}:${state.panelViews.join(',')}`);
  if (state.indicator) params.set('indicator', `${state.indicator}:${state.month || ''}`);
  if (state.ortho) params.set('ortho', '1');
  history.replaceState(null, '', `#${params}`);
}

export function readHash(viewCodes) {
  const params = new URLSearchParams(location.hash.slice(1));
  const view = params.get('view');
  if (viewCodes.includes(view)) state.view = view;
  else if (!viewCodes.includes(state.view)) state.view = viewCodes[0];
  const preset = params.get('preset');
  const window = params.get('window')?.split('/').map(Number);
  if (preset && PRESETS[preset]) Object.assign(state, {preset, window: presetWindow(PRESETS[preset])});
  else if (window?.length === 2 && window.every(Number.isFinite) && window[0] < window[1]) {
    Object.assign(state, {preset: null, window: {start: window[0], end: window[1]}});
  }
  const unit = Number(params.get('unit'));
  if (unit) state.unitId = unit;
  const [count, views] = (params.get('panels') || '').split(':');
  if ([2, 4].includes(Number(count))) {
    state.panels = Number(count);
    state.panelViews = (views || '').split(',').filter((code) => viewCodes.includes(code));
  }
  const [indicator, month] = (params.get('indicator') || '').split(':');
  if (indicator) Object.assign(state, {indicator, month: month || null});
  state.ortho = params.get('ortho') === '1';
  writeHash();
}
