// The overview's throughput chart: processed and failed runs per minute over the last hour, from /api/history,
// re-read every refresh interval. Everything else on the pages updates through htmx (hx-get on the live part).
(function () {
  'use strict';
  var canvas = document.getElementById('throughput');
  if (!canvas || typeof Chart === 'undefined') {
    return;
  }
  var chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: [],
      datasets: [
        { label: 'processed / min', data: [], borderColor: '#2563eb', backgroundColor: 'rgba(37,99,235,0.12)', fill: true, tension: 0.25, pointRadius: 0 },
        { label: 'failed / min', data: [], borderColor: '#dc2626', backgroundColor: 'rgba(220,38,38,0.12)', fill: true, tension: 0.25, pointRadius: 0 }
      ]
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
  function label(minute) {
    return new Date(minute * 60000).toISOString().substring(11, 16);
  }
  function load() {
    fetch(canvas.dataset.src, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (h) {
        chart.data.labels = h.minutes.map(label);
        chart.data.datasets[0].data = h.processed;
        chart.data.datasets[1].data = h.failed;
        chart.update();
        canvas.dataset.totalProcessed = h.totalProcessed;
        canvas.dataset.loads = String(Number(canvas.dataset.loads || 0) + 1);
      })
      .catch(function () { /* the next refresh tries again */ });
  }
  load();
  setInterval(load, Math.max(1000, Number(canvas.dataset.refresh) || 2000));
})();
