// The send page: a refusal the gateway answers with a 5xx (a full backlog, the store unavailable) explains itself
// like a 4xx does, so it is shown where the result goes. No inline scripts (the CSP forbids them).
document.addEventListener('htmx:beforeSwap', (event) => {
  const target = event.detail.target;
  const status = event.detail.xhr.status;
  if (target && target.id === 'send-result' && status >= 500 && status < 600) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
