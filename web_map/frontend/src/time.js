// Time windows in Asia/Ho_Chi_Minh (UTC+7, no daylight saving): ISO strings with +07:00.
export const HOUR = 3600e3;
export const DAY = 24 * HOUR;
export const PRESETS = {last24h: DAY, last7d: 7 * DAY, last30d: 30 * DAY, last90d: 90 * DAY};
const OFFSET = 7 * HOUR;

export function localIso(ms) {
  return new Date(ms + OFFSET).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

export function localLabel(ms, withTime = true) {
  const iso = localIso(ms);
  const [date, time] = iso.slice(0, 16).split('T');
  const [y, m, d] = date.split('-');
  return withTime ? `${d}/${m}/${y} ${time}` : `${d}/${m}/${y}`;
}

// The window ending at the next full hour, `span` long.
export function presetWindow(span, now = Date.now()) {
  const end = Math.ceil(now / HOUR) * HOUR;
  return {start: end - span, end};
}

// `datetime=start/end` as the OGC API and the tiles take it (URL-encoded: '+' must survive).
export function datetimeParam(window) {
  return encodeURIComponent(`${localIso(window.start)}/${localIso(window.end)}`);
}
