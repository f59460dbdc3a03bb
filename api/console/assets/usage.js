// The usage page's chart: Chart.js (loaded by the layout) draws the figures the page carries in the canvas's
// data-chart attribute, the same figures as the table under it. No inline script: the CSP forbids it.
(() => {
  const canvas = document.getElementById('usage-chart');
  const { Chart } = window;
  if (canvas === null || Chart === undefined) return;
  const data = JSON.parse(canvas.dataset.chart);
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const messages = colour('--chart-messages', '#0b3a75');
  const segments = colour('--chart-segments', '#b4460b');
  const ink = colour('--ink', '#1b1f24');
  const line = colour('--line', '#d0d7e0');
  const overTime = data.kind === 'time';
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.color = ink;
  Chart.defaults.font.family = css.fontFamily;
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        // Over time the segments are a line drawn over the bars (a lower order is drawn later).
        { type: 'bar', label: data.names.messages, data: data.messages, backgroundColor: messages, borderColor: messages, order: 2 },
        overTime
          ? { type: 'line', label: data.names.segments, data: data.segments, borderColor: segments, backgroundColor: segments, pointRadius: 3, tension: 0, order: 1 }
          : { type: 'bar', label: data.names.segments, data: data.segments, backgroundColor: segments, borderColor: segments, order: 2 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: still ? false : { duration: 300 },
      locale: document.documentElement.lang,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { grid: { display: false } },
        y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: line } },
      },
      plugins: { legend: { position: 'bottom', labels: { sort: (a, b) => a.datasetIndex - b.datasetIndex } } },
    },
  });
})();
