// A run's report: the counts, the refused rows with their reasons, the warnings, the refused file's link.
import {el} from './dom.js';
import {t} from './strings.js';

const COUNTS = ['inserted', 'updated', 'unchanged', 'deleted', 'refused'];

export function showReport(outcome, kind, refusedUrl) {
  const section = el('section', {id: kind === 'load' ? 'load-report' : 'dry-run-report', 'data-status': outcome.status},
    el('h2', {text: kind === 'load' ? t('loadedReport') : t('report')}));
  if (outcome.error) section.append(el('p', {class: 'error', text: `${t('error')}: ${outcome.error}`}));
  section.append(el('dl', {class: 'counts'}, ...COUNTS.flatMap((name) => [
    el('dt', {text: t('counts')[name]}), el('dd', {'data-count': name, text: String(outcome.counts?.[name] ?? 0)})])));
  if (outcome.warnings?.length) {
    section.append(el('h3', {text: t('warnings')}), el('ul', {class: 'warnings'},
      ...outcome.warnings.map((warning) => el('li', {text: warning}))));
  }
  if (outcome.problems?.length) {
    section.append(el('table', {class: 'problems'},
      el('thead', {}, el('tr', {}, el('th', {text: t('row')}), el('th', {text: t('reason')}))),
      el('tbody', {}, ...outcome.problems.map((p) => el('tr', {'data-row': String(p.row)},
        el('td', {text: p.row ? String(p.row) : '—'}),
        el('td', {text: p.column && !p.message.startsWith(p.column) ? `${p.column}: ${p.message}` : p.message}))))));
  }
  if (outcome.refused_file) {
    section.append(el('p', {}, el('a', {class: 'refused-link', href: refusedUrl, download: true, text: t('refusedDownload')})));
  }
  return section;
}
