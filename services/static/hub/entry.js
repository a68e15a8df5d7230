// The indicator entry form (services/templates/hub/entry.html): marks a value beyond the declared jump
// factor against the last period as it is typed (the server asks to confirm it). A file, not an inline
// script: the Content-Security-Policy allows scripts from 'self' only.
for (const input of document.querySelectorAll("input[data-jump]")) {
  const check = () => {
    const factor = parseFloat(input.dataset.jump), before = parseFloat(input.dataset.previous);
    const value = parseFloat(input.value.replace(",", "."));
    input.classList.toggle("jump", factor > 1 && before > 0 && (value / before > factor || value / before < 1 / factor));
  };
  input.addEventListener("input", check);
  check();
}
