// The legend of a view: each layer's colours by its styled field (from the registry), and the
// classes of a choropleth or the size of a metric when the view has one.
import {number, t, title} from './i18n.js';
import {escapeHtml} from './text.js';

export function renderLegend(element, layers, extra = '') {
  element.innerHTML = `<h2>${escapeHtml(t('legend'))}</h2>${layers.map((layer) => `
    <section data-legend="${layer.id}"><h3>${escapeHtml(title(layer))}</h3>
      <ul>${(layer.style.legend.length ? layer.style.legend : [{code: '', vi: title(layer), en: title(layer), color: layer.style.color}])
        .map((term) => `<li><i class="${layer.style.kind}" style="background:${term.color}"></i>${escapeHtml(title(term))}</li>`).join('')}</ul>
    </section>`).join('')}${extra}`;
}

export function choroplethLegend(indicator, bins) {
  if (!bins.length) return `<p>${escapeHtml(t('noData'))}</p>`;
  return `<section data-legend="choropleth"><h3>${escapeHtml(title(indicator))} (${escapeHtml(indicator.unit)})</h3><ul>${bins
    .map((bin) => `<li><i class="fill" style="background:${bin.color}"></i>${number(bin.min, 1)} – ${number(bin.max, 1)}</li>`)
    .join('')}</ul></section>`;
}

export function sizeLegend(metric, largest) {
  return `<section data-legend="size"><h3>${escapeHtml(title(metric))}</h3>
    <p><i class="circle big"></i> ${number(largest)} ${escapeHtml(metric.unit)}</p></section>`;
}

export function densityLegend(layer, ramp) {
  return `<section data-legend="density"><h3>${escapeHtml(title(layer))}</h3>
    <p class="ramp" style="background:linear-gradient(90deg, ${ramp.map(([, color]) => color).join(', ')})"></p>
    <p class="ramp-labels"><span>${number(ramp[0][0])}</span><span>${number(ramp[ramp.length - 1][0])}+</span></p></section>`;
}
