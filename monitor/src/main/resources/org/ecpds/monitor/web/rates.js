// ecpds monitor: the delivery-rate plot of a destination page (uPlot), refreshed in place.
// Polls the JSON at #rate-plot[data-src]; the page itself is never reloaded. The latest totals are
// mirrored into data-* attributes of #rate-plot, for people and tests that cannot read a canvas.
(function () {
  'use strict';

  function humanBytes(v) {
    var units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'];
    var i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (Math.round(v * 10) / 10) + ' ' + units[i];
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('rate-plot');
    if (!box || typeof window.uPlot !== 'function') return;
    var src = box.getAttribute('data-src');
    var seconds = Number(box.getAttribute('data-refresh')) || 5;
    var plot = null;
    var busy = false;
    var polls = 0;

    function options() {
      return {
        width: Math.max(320, box.clientWidth || 800),
        height: 220,
        // the page says "All times UTC": the time axis too, whatever the browser's zone
        tzDate: function (ts) { return window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
        scales: { x: { time: true }, files: { auto: true }, bytes: { auto: true } },
        series: [
          {},
          { label: 'files/s', scale: 'files', stroke: '#1f6feb', width: 2,
            value: function (u, v) { return v == null ? '-' : v.toFixed(3); } },
          { label: 'bytes/s', scale: 'bytes', stroke: '#d9822b', width: 2,
            value: function (u, v) { return v == null ? '-' : humanBytes(v); } }
        ],
        axes: [
          {},
          { scale: 'files', label: 'files/s' },
          { scale: 'bytes', side: 1, label: 'bytes/s', size: 80, grid: { show: false },
            values: function (u, ticks) { return ticks.map(humanBytes); } }
        ]
      };
    }

    function poll() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(src, { credentials: 'same-origin', cache: 'no-store' })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        })
        .then(function (d) {
          var data = [d.t, d.filesPerSecond, d.bytesPerSecond];
          if (!plot) {
            box.textContent = '';
            plot = new window.uPlot(options(), data, box);
          } else {
            plot.setData(data);
          }
          polls++;
          box.setAttribute('data-files', String(d.files));
          box.setAttribute('data-bytes', String(d.bytes));
          box.setAttribute('data-polls', String(polls));
          box.setAttribute('data-now', String(d.now));
          box.classList.remove('stale');
        })
        .catch(function () { box.classList.add('stale'); })
        .finally(function () { busy = false; });
    }

    poll();
    setInterval(poll, seconds * 1000);
  });
})();
