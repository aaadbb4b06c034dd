// Behaviour that used to sit in inline attributes, which the Content Security Policy forbids.
// <select data-autosubmit> submits its form on change; a form or a submit button with
// data-confirm="…" asks first.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || (form instanceof HTMLFormElement && form.dataset.confirm);
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// A field inside data-quiet does not announce its changes to the form around it: htmx forms
// that refresh on "change" wait for the submit button instead (the pivot's indicator boxes).
// An htmx trigger filter would do the same with eval, which the policy forbids.
document.addEventListener("change", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-quiet]")) {
    event.stopPropagation();
  }
}, true);
