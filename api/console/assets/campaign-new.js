// The new-campaign page: variables put into the template where the cursor is, the phone column left out of the
// variables, parts of the form shown only for the choice that uses them, and a preview marked stale (its create
// button gone) as soon as something it counted changes. The server checks the last part again at create.
(() => {
  const form = document.getElementById('campaign-form');
  if (form === null) return;
  const template = document.getElementById('template');

  form.addEventListener('submit', (event) => event.preventDefault());

  // A variable button puts {{name}} into the template at the cursor (or over the selection).
  form.addEventListener('click', (event) => {
    const chip = event.target instanceof Element ? event.target.closest('[data-insert]') : null;
    if (chip === null || template === null) return;
    const text = chip.getAttribute('data-insert') ?? '';
    const start = template.selectionStart ?? template.value.length;
    const end = template.selectionEnd ?? start;
    template.focus();
    template.setRangeText(text, start, end, 'end');
    template.dispatchEvent(new Event('input', { bubbles: true }));
  });

  // The phone column is not a variable.
  const syncChips = () => {
    const phone = document.getElementById('phoneColumn');
    for (const chip of form.querySelectorAll('[data-column]')) {
      chip.hidden = phone !== null && chip.getAttribute('data-column') === phone.value;
    }
  };

  // <div data-show-when="name=a,b"> shows only while the radio button `name` has one of the values.
  const syncShown = () => {
    for (const block of form.querySelectorAll('[data-show-when]')) {
      const [name, values] = (block.getAttribute('data-show-when') ?? '').split('=');
      const checked = form.querySelector(`input[name="${name}"]:checked`);
      block.hidden = checked === null || !(values ?? '').split(',').includes(checked.value);
    }
  };

  const markStale = () => {
    const preview = document.getElementById('preview');
    if (preview === null || preview.querySelector('input[name="previewDigest"]') === null) return;
    const note = document.createElement('p');
    note.className = 'alert warn';
    note.setAttribute('role', 'alert');
    note.setAttribute('data-testid', 'preview-stale');
    note.textContent = form.getAttribute('data-stale') ?? '';
    preview.replaceChildren(note);
  };

  const changed = (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (target.id === 'phoneColumn') syncChips();
    if (target.matches('input[type="radio"]')) syncShown();
    if (target.matches('[data-row-field]')) markStale();
  };
  form.addEventListener('change', changed);
  form.addEventListener('input', changed);

  document.body.addEventListener('htmx:afterSwap', (event) => {
    if (event.detail.target?.id === 'mapping') syncChips();
  });

  syncShown();
})();
