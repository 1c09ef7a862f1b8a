// ecpds monitor: live refresh of main#content and expandable transfer history.
// Served as a file (not inline) so the Content-Security-Policy can forbid inline scripts.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  // History rows are hidden by CSS once scripts run; this set survives the live refreshes.
  var openHistory = new Set();

  function applyOpen() {
    document.querySelectorAll('tr.history-row').forEach(function (row) {
      row.classList.toggle('open', openHistory.has(row.getAttribute('data-id')));
    });
    document.querySelectorAll('button.history-toggle').forEach(function (b) {
      b.setAttribute('aria-expanded', openHistory.has(b.getAttribute('data-id')) ? 'true' : 'false');
    });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button.history-toggle');
    if (!button) return;
    var id = button.getAttribute('data-id');
    if (openHistory.has(id)) openHistory.delete(id); else openHistory.add(id);
    applyOpen();
  });

  // Destructive actions ask first. Only a convenience: the form posts the same without scripts.
  document.addEventListener('submit', function (event) {
    var question = event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Once an action form is submitted the page is going away; do not swap it under the click.
  var leaving = false;
  document.addEventListener('submit', function (event) { if (!event.defaultPrevented) leaving = true; });

  // Nor while the operator is typing into a form (e.g. a new priority): a swap would lose it.
  // Ticked rows for a bulk action count as typing: a swap would untick them.
  function editing() {
    var el = document.activeElement;
    if (document.querySelector('input.select:checked')) return true;
    return !!(el && el.form && el.matches('input:not([type=hidden])'));
  }

  document.addEventListener('DOMContentLoaded', function () {
    var seconds = Number(document.body.getAttribute('data-refresh')) || 0;
    if (!seconds) return;
    var state = document.getElementById('live-state');
    var toggle = document.getElementById('live-toggle');
    var paused = false;
    var busy = false;
    try { paused = localStorage.getItem('ecpds.monitor.live') === 'off'; } catch (e) { /* storage disabled */ }

    function show(text, bad) {
      if (!state) return;
      state.textContent = text;
      state.classList.toggle('bad', !!bad);
    }

    function render() {
      if (toggle) toggle.textContent = paused ? 'Resume' : 'Pause';
      if (paused) show('live updates paused', false);
    }

    function refresh() {
      if (paused || busy || leaving || editing() || document.hidden) return;
      busy = true;
      fetch(location.href, { credentials: 'same-origin', cache: 'no-store', headers: { 'X-Ecpds-Live': '1' } })
        .then(function (res) {
          if (res.redirected && new URL(res.url).pathname === '/login') {
            location.assign(res.url); // session ended
            return null;
          }
          return res.text().then(function (text) {
            var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('content');
            var current = document.getElementById('content');
            if (!fresh || !current) throw new Error('unexpected answer');
            current.innerHTML = fresh.innerHTML; // same-origin markup, escaped by the server
            applyOpen();
            show(res.ok ? 'updated ' + new Date().toISOString().substring(11, 19) + ' UTC' : 'master error', !res.ok);
          });
        })
        .catch(function () { show('monitor unreachable, retrying', true); })
        .finally(function () { busy = false; });
    }

    if (toggle) {
      toggle.addEventListener('click', function () {
        paused = !paused;
        try { localStorage.setItem('ecpds.monitor.live', paused ? 'off' : 'on'); } catch (e) { /* ignore */ }
        render();
        if (!paused) refresh();
      });
    }
    render();
    if (!paused) show('live, every ' + seconds + ' s', false);
    setInterval(refresh, seconds * 1000);
  });
})();
