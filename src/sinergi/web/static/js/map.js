// Village choropleth: boundaries from /peta/desa.geojson (cached by the browser), figures from
// /peta/data.json; the metric selector recolours, a click opens the village page.
(function () {
  "use strict";

  var SEQUENTIAL = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"];
  var WATER = {
    belum_ada: "#d7301f", perencanaan: "#fdae61", konstruksi: "#fee08b",
    beroperasi: "#1a9850", tidak_diketahui: "#bdbdbd"
  };
  var NO_DATA = "#e0e0e0";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function breaks(values) {
    // Quantile class limits over the villages that have a value; repeated limits (many villages
    // share a small count) collapse, so every class drawn holds villages.
    var sorted = values.filter(function (v) { return v !== null && v !== undefined; })
      .sort(function (a, b) { return a - b; });
    if (!sorted.length) { return null; }
    var out = [];
    for (var i = 1; i < SEQUENTIAL.length; i++) {
      var q = sorted[Math.floor((i * sorted.length) / SEQUENTIAL.length)];
      if (q > sorted[0] && out.indexOf(q) < 0) { out.push(q); }
    }
    return out;
  }

  function colourOf(k, cuts) {
    return SEQUENTIAL[Math.round((k * (SEQUENTIAL.length - 1)) / Math.max(cuts.length, 1))];
  }

  function classOf(value, cuts) {
    var k = 0;
    while (k < cuts.length && value >= cuts[k]) { k++; }
    return k;
  }

  function fmt(v) {
    if (v === null || v === undefined) { return "—"; }
    return Math.round(v * 10) / 10 + "";
  }

  function init() {
    var el = document.getElementById("map");
    if (!el || !window.L) { return; }
    var legend = document.getElementById("legend");
    var select = document.getElementById("metric");
    var map = L.map(el, { zoomSnap: 0.25 });
    Promise.all([getJSON(el.dataset.shapes), getJSON(el.dataset.values)]).then(function (res) {
      var shapes = res[0], data = res[1];
      var byCode = {};
      data.desa.forEach(function (d) { byCode[d.kode_desa] = d; });
      var layer = L.geoJSON(shapes, {
        style: function () { return { weight: 1, color: "#555", fillOpacity: 0.8 }; },
        onEachFeature: function (feature, lyr) {
          var d = byCode[feature.properties.kode];
          lyr.on("click", function () {
            window.location.href = "/desa/" + encodeURIComponent(feature.properties.kode);
          });
          lyr.bindTooltip(function () {
            var metric = select.value;
            var v = d ? d[metric] : null;
            var shown = metric === "jaringan_air" ? (data.air[v] || v) : fmt(v);
            return feature.properties.nama + (d ? " (" + d.kecamatan + ")" : "") + ": " + shown;
          }, { sticky: true });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      layer.eachLayer(function (lyr) {
        lyr.getElement().setAttribute("data-kode", lyr.feature.properties.kode);
      });

      function paint() {
        var metric = select.value;
        var items = [];
        if (metric === "jaringan_air") {
          layer.eachLayer(function (lyr) {
            var d = byCode[lyr.feature.properties.kode];
            var v = d ? d.jaringan_air : "tidak_diketahui";
            lyr.setStyle({ fillColor: WATER[v] || NO_DATA });
            lyr.getElement().setAttribute("data-class", v);
          });
          Object.keys(WATER).forEach(function (k) {
            if (data.air[k]) { items.push([WATER[k], data.air[k]]); }
          });
        } else {
          var cuts = breaks(data.desa.map(function (d) { return d[metric]; }));
          layer.eachLayer(function (lyr) {
            var d = byCode[lyr.feature.properties.kode];
            var v = d ? d[metric] : null;
            var colour = NO_DATA, cls = "none";
            if (v !== null && v !== undefined && cuts) {
              var k = classOf(v, cuts);
              colour = colourOf(k, cuts);
              cls = String(k);
            }
            lyr.setStyle({ fillColor: colour });
            lyr.getElement().setAttribute("data-class", cls);
          });
          for (var i = 0; cuts && i <= cuts.length; i++) {
            var lo = i === 0 ? null : cuts[i - 1], hi = i < cuts.length ? cuts[i] : null;
            var label = lo === null ? (hi === null ? "" : "< " + fmt(hi))
              : (hi === null ? "≥ " + fmt(lo) : fmt(lo) + " – < " + fmt(hi));
            items.push([colourOf(i, cuts), label]);
          }
          items.push([NO_DATA, data.tanpa_data]);
        }
        legend.textContent = "";
        var title = document.createElement("strong");
        title.textContent = data.label[metric];
        legend.appendChild(title);
        items.forEach(function (item) {
          var row = document.createElement("div");
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.backgroundColor = item[0];
          row.appendChild(swatch);
          row.appendChild(document.createTextNode(" " + item[1]));
          legend.appendChild(row);
        });
        el.setAttribute("data-metric", metric);
        el.setAttribute("data-ready", "1");
      }
      select.addEventListener("change", paint);
      paint();
    }).catch(function (err) {
      legend.textContent = String(err);
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
