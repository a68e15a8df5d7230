// Messages shown next to the field they are about ([data-error-for=<name>]); the server's 4xx
// messages start with the field's name ("answer: …"), which says where they go.
const SAME_PLACE = {lon: 'location', lat: 'location', challenge: 'answer'};
const BY_STATUS = {413: 'photos'}; // a body over the upload limit: the photos are too large

export function formErrors(form) {
  const slot = (name) => form.querySelector(`[data-error-for="${name}"]`);
  return {
    show(name, message) {
      const where = slot(name) || slot('form');
      where.textContent = message;
      where.closest('.field')?.classList.toggle('invalid', Boolean(message));
    },
    clear() {
      for (const where of form.querySelectorAll('[data-error-for]')) {
        where.textContent = '';
        where.closest('.field')?.classList.remove('invalid');
      }
    },
    // [field, message] of a server's refusal
    fromServer(status, description) {
      const named = /^([a-z_]+):\s*([\s\S]*)$/.exec(description);
      if (!named) return [BY_STATUS[status] || 'form', description];
      const name = SAME_PLACE[named[1]] || named[1];
      return [slot(name) ? name : 'form', named[2]];
    },
    focusFirst() {
      const first = [...form.querySelectorAll('[data-error-for]')].find((where) => where.textContent);
      const control = first?.closest('.field')?.querySelector('input:not([type=hidden]), select, textarea, button');
      (control || first)?.scrollIntoView({block: 'center'});
      control?.focus({preventScroll: true});
    },
  };
}
