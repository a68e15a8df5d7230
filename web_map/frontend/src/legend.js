// The legend of a view: each layer's colours by its styled field (from the registry), and the
// classes of a choropleth or the size of a metric when the view has one. It folds (a <details>):
// open on the wall, folded on phones until tapped.
import {number, t, title, unitOf} from './i18n.js';
import {escapeHtml} from './text.js';

const PHONE = '(max-width: 760px)';

export function renderLegend(element, layers, extra = '') {
  const open = element.querySelector('details')?.open ?? !window.matchMedia(PHONE).matches;
  element.innerHTML = `<details ${open ? 'open' : ''}><summary><h2>${escapeHtml(t('legend'))}</h2></summary>${layers.map((layer) => `
    <section data-legend="${layer.id}"><h3>${escapeHtml(title(layer))}</h3>
      <ul>${(layer.style.legend.length ? layer.style.legend : [{code: '', vi: title(layer), en: title(layer), color: layer.style.color}])
        .map((term) => `<li><i class="${layer.style.kind}" style="background:${term.color}"></i>${escapeHtml(title(term))}</li>`).join('')}</ul>
    </section>`).join('')}${extra}</details>`;
}

export function choroplethLegend(indicator, bins) {
  if (!bins.length) return `<p>${escapeHtml(t('noData'))}</p>`;
  return `<section data-legend="choropleth"><h3>${escapeHtml(title(indicator))} (${escapeHtml(unitOf(indicator))})</h3><ul>${bins
    .map((bin) => `<li><i class="fill" style="background:${bin.color}"></i>${number(bin.min, 1)} – ${number(bin.max, 1)}</li>`)
    .join('')}</ul></section>`;
}

// The largest circle of a metric: in the layer's colour, or an outline when the colours are its
// legend's terms (the size then says the value, the colour the term).
export function sizeLegend(metric, largest, layer) {
  const colored = layer && !layer.style.legend.length;
  const style = colored ? `background:${layer.style.color}` : 'background:transparent;border:2px solid currentColor';
  return `<section data-legend="size"><h3>${escapeHtml(title(metric))}</h3>
    <p><i class="circle big" style="${style}"></i> ${number(largest)} ${escapeHtml(unitOf(metric))}</p></section>`;
}

export function densityLegend(layer, ramp) {
  return `<section data-legend="density"><h3>${escapeHtml(title(layer))}</h3>
    <p class="ramp" style="background:linear-gradient(90deg, ${ramp.map(([, color]) => color).join(', ')})"></p>
    <p class="ramp-labels"><span>${number(ramp[0][0])}</span><span>${number(ramp[ramp.length - 1][0])}+</span></p></section>`;
}

// The panel's title: the view, and the features it counts (its primary layers: /api/layers `counted`),
// saying when they are drawn only from a closer zoom.
export function panelTitle(view, counts, zoom) {
  const count = (view.counted || view.layers).reduce((sum, id) => sum + (counts[id] ?? 0), 0);
  const far = view.min_zoom && zoom < view.min_zoom
    ? ` · <small data-from-zoom="${view.min_zoom}">${escapeHtml(t('fromZoom'))} ${view.min_zoom}</small>` : '';
  return `<b>${escapeHtml(title(view))}</b> · <span data-count="${view.code}">${number(count)}</span> ${
    escapeHtml(t(view.events ? 'events' : 'shown'))}${far}`;
}
