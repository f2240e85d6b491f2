// The map of a place on its admin page (conflictapi.maps, place_map.html): the place's
// point over the vendored outlines of countries and of its country's divisions, on a
// tile server's map only where the page names one (MAP_TILE_URL). Vendored Leaflet and
// topojson-client draw it; nothing is fetched from another origin.
(function () {
  "use strict";

  function outlines(map, url, object, style) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      })
      .then(function (topology) {
        var shapes = topojson.feature(topology, topology.objects[object]);
        return L.geoJSON(shapes, { style: style, interactive: false }).addTo(map);
      });
  }

  function draw(canvas) {
    var data = canvas.dataset;
    var point = [parseFloat(data.latitude), parseFloat(data.longitude)];
    var map = L.map(canvas, { scrollWheelZoom: false }).setView(point, parseInt(data.zoom, 10));
    var tiles = Boolean(data.tileUrl);
    if (tiles) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 18 }).addTo(map);
    } else {
      canvas.classList.add("no-tiles");
    }
    map.attributionControl.addAttribution("Outlines: Natural Earth");
    var marker = L.circleMarker(point, {
      radius: 7, color: "#a40000", weight: 2, fillColor: "#e03030", fillOpacity: 0.85,
    }).bindTooltip(data.name, { permanent: true, direction: "right", offset: [8, 0] });
    outlines(map, data.countriesUrl, "countries", {
      color: "#6b6b6b", weight: 1, fillColor: "#f3efe6", fillOpacity: tiles ? 0 : 1,
    })
      .then(function () {
        if (!data.admin1Url) return null;
        return outlines(map, data.admin1Url, "admin1", {
          color: "#8a8a8a", weight: 0.8, dashArray: "3 3", fill: false,
        });
      })
      .then(function () {
        marker.addTo(map);
        canvas.dataset.ready = "true";
      })
      .catch(function (error) {
        marker.addTo(map);
        canvas.dataset.error = String(error.message || error);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".place-map-canvas").forEach(draw);
  });
})();
