// Before printing, lay every chart out at the page width and at most a page high (plotly
// sizes charts for the screen; a too-wide or too-tall chart would be cut); restore after.
// Each chart box carries data-height (screen), data-print-height and data-print-width.
(function () {
  var printing = false;
  function charts() { return document.querySelectorAll('.chart'); }
  function toPrint() {
    if (printing || !window.Plotly) { return; }
    printing = true;
    charts().forEach(function (box) {
      var gd = box.querySelector('.js-plotly-plot');
      if (gd) {
        gd.style.height = gd.parentElement.style.height = box.dataset.printHeight + 'px';
        window.Plotly.relayout(gd, {width: +box.dataset.printWidth, height: +box.dataset.printHeight});
      }
    });
  }
  function toScreen() {
    if (!printing || !window.Plotly) { return; }
    printing = false;
    charts().forEach(function (box) {
      var gd = box.querySelector('.js-plotly-plot');
      if (gd) {
        gd.style.height = gd.parentElement.style.height = box.dataset.height + 'px';
        window.Plotly.relayout(gd, {width: null, height: +box.dataset.height, autosize: true});
      }
    });
  }
  window.addEventListener('beforeprint', toPrint);
  window.addEventListener('afterprint', toScreen);
  if (window.matchMedia) {
    var query = window.matchMedia('print');
    var listener = function (m) { if (m.matches) { toPrint(); } else { toScreen(); } };
    if (query.addEventListener) { query.addEventListener('change', listener); } else { query.addListener(listener); }
  }
})();
