// The verifications page's chart: counts per day, from the canvas's data-chart (the table below holds the same).
(() => {
  const canvas = document.getElementById('ver-chart');
  if (canvas === null || typeof window.Chart !== 'function') return;
  const chart = JSON.parse(canvas.dataset.chart ?? '{"labels":[],"series":[]}');
  // Colour-blind-safe hues (Okabe-Ito), one per series, as the legend shows them.
  const colours = { started: '#0072B2', approved: '#009E73', failed: '#E69F00', max_attempts_reached: '#D55E00', expired: '#7F7F7F' };
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: chart.labels,
      datasets: chart.series.map((series) => ({ label: series.label, data: series.data, backgroundColor: colours[series.key] ?? '#4a5563' })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
})();
