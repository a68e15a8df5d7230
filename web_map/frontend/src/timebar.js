// The one time control: presets, a two-handle range over the last 90 days, play by hour or day.
import {t} from './i18n.js';
import {DAY, HOUR, PRESETS, localLabel, presetWindow} from './time.js';

const PLAY_TICK_MS = 1200;

export class TimeBar {
  constructor(element, app, onWindow) {
    this.app = app;
    this.onWindow = onWindow;
    this.range = presetWindow(PRESETS.last90d);
    const hours = (this.range.end - this.range.start) / HOUR;
    element.innerHTML = `
      <span class="label">${t('window')}</span>
      <div class="presets" role="group">${Object.keys(PRESETS).map((key) =>
        `<button type="button" data-preset="${key}">${t(key)}</button>`).join('')}</div>
      <div class="slider">
        <input type="range" id="time-start" min="0" max="${hours}" step="1" aria-label="start">
        <input type="range" id="time-end" min="0" max="${hours}" step="1" aria-label="end">
      </div>
      <output id="time-label"></output>
      <select id="time-step" aria-label="step"><option value="hour">${t('byHour')}</option>
        <option value="day" selected>${t('byDay')}</option></select>
      <button type="button" id="time-play">▶ ${t('play')}</button>`;
    this.start = element.querySelector('#time-start');
    this.end = element.querySelector('#time-end');
    this.label = element.querySelector('#time-label');
    this.step = element.querySelector('#time-step');
    this.playButton = element.querySelector('#time-play');
    this.presets = element.querySelectorAll('[data-preset]');
    for (const button of this.presets) {
      button.addEventListener('click', () => {
        this.stop();
        onWindow(presetWindow(PRESETS[button.dataset.preset]), button.dataset.preset);
      });
    }
    const dragged = () => {
      this.stop();
      let [a, b] = [Number(this.start.value), Number(this.end.value)];
      if (a >= b) [a, b] = a === Number(this.start.max) ? [b - 1, b] : [a, a + 1];
      onWindow({start: this.range.start + a * HOUR, end: this.range.start + b * HOUR}, null);
    };
    this.start.addEventListener('change', dragged);
    this.end.addEventListener('change', dragged);
    this.playButton.addEventListener('click', () => (this.timer ? this.stop() : this.play()));
  }

  show(window, preset) {
    this.start.value = Math.round((window.start - this.range.start) / HOUR);
    this.end.value = Math.round((window.end - this.range.start) / HOUR);
    this.label.textContent = `${localLabel(window.start)} – ${localLabel(window.end)}`;
    for (const button of this.presets) button.setAttribute('aria-pressed', String(button.dataset.preset === preset));
  }

  play() {
    const step = this.step.value === 'hour' ? HOUR : DAY;
    let start = this.range.start;
    const tick = () => {
      if (start + step > this.range.end) return this.stop();
      this.onWindow({start, end: start + step}, null);
      start += step;
    };
    tick();
    this.timer = setInterval(tick, PLAY_TICK_MS);
    this.playButton.textContent = `⏸ ${t('pause')}`;
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = `▶ ${t('play')}`;
  }
}
