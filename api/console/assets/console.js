// The console's own script: only what htmx does not do by itself. No inline scripts (the CSP forbids them).
document.addEventListener('htmx:beforeSwap', (event) => {
  // Refusals (4xx) come back as fragments that explain themselves: show them where the answer would have gone.
  const status = event.detail.xhr.status;
  if (status >= 400 && status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
