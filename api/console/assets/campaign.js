// A campaign's page: the cancel button asks before it posts (its form may have been swapped in by the live view).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.getAttribute('data-confirm');
  if (question !== null && !window.confirm(question)) event.preventDefault();
});
