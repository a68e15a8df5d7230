// The mapping step: each file column beside a select of the layer's fields (the suggestion chosen), and
// the values to recode into codes; mappingOf() reads the choices back as a mapping file's JSON.
import {el, option} from './dom.js';
import {t} from './strings.js';

export function showMapping(step) {
  const fieldOptions = (chosen) => [option('', t('ignore'), !chosen), ...step.fields.map((field) =>
    option(field.name, `${field.name}${field.label ? ` – ${field.label}` : ''}${field.required ? ` (${t('required')})` : ''}`,
      field.name === chosen))];
  const rows = step.columns.map((column) => el('tr', {'data-column': column.name},
    el('th', {scope: 'row', text: column.name}),
    el('td', {class: 'samples', text: column.samples.join(', ')}),
    el('td', {}, el('select', {'data-column': column.name, 'aria-label': column.name}, ...fieldOptions(column.suggestion)),
      column.why ? el('small', {class: 'why', text: t('suggested')[column.why] || ''}) : null)));
  const table = el('table', {id: 'mapping'},
    el('caption', {text: t('mapping')}),
    el('thead', {}, el('tr', {}, el('th', {text: t('column')}), el('th', {text: t('samples')}), el('th', {text: t('field')}))),
    el('tbody', {}, ...rows));
  const recodes = [];
  for (const [field, values] of Object.entries(step.values)) {
    const codes = step.fields.find((f) => f.name === field)?.codes || [];
    for (const [value, code] of Object.entries(values)) {
      recodes.push(el('tr', {}, el('td', {text: field}), el('td', {text: value}),
        el('td', {}, el('select', {'data-recode-field': field, 'data-value': value, 'aria-label': `${field}: ${value}`},
          option('', '—'), ...codes.map(([c, label]) => option(c, `${c} – ${label}`, c === code))))));
    }
  }
  const values = recodes.length ? el('table', {id: 'recodes'}, el('caption', {text: t('values')}),
    el('thead', {}, el('tr', {}, el('th', {text: t('field')}), el('th', {text: t('value')}), el('th', {text: t('code')}))),
    el('tbody', {}, ...recodes)) : null;
  return el('section', {id: 'mapping-step'}, table, values);
}

export function mappingOf(root, step) {
  const columns = {};
  const ignore = [];
  for (const select of root.querySelectorAll('select[data-column]')) {
    if (select.value) columns[select.dataset.column] = select.value;
    else ignore.push(select.dataset.column);
  }
  const values = {};
  for (const select of root.querySelectorAll('select[data-recode-field]')) {
    if (!select.value) continue;
    (values[select.dataset.recodeField] ||= {})[select.dataset.value] = select.value;
  }
  const chosen = new Set(Object.values(columns));
  const missing = step.fields.filter((f) => f.required && !chosen.has(f.name) && f.default === null).map((f) => f.name);
  return {mapping: {columns, values, ignore}, missing};
}
