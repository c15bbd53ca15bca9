// The public report form's scripts (templates/tickets/public/report_form.html). Optional:
// without them the form still takes a landmark from the list or typed coordinates.
// - After a refused report, the focus goes to the list of problems at the top.
// - The description shows how many characters are left, and says when the limit is reached.
// - "Use my location" asks the browser where the reporter is and fills the coordinates.
// - With a tile server configured (data-tiles) and Leaflet loaded, a map: tap (or press Enter
//   on) the map to mark the place; the mark and the coordinate fields follow each other.
(function () {
  "use strict";

  var form = document.querySelector("[data-report-form]");
  if (!form) {
    return;
  }

  var PLACES = 6; // the coordinates' stored precision, about 10 cm

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function say(element, message) {
    if (!element) {
      return;
    }
    // Empty first, so the same words said twice are announced twice.
    element.textContent = "";
    window.setTimeout(function () {
      element.textContent = message;
    }, 50);
  }

  // --- the list of problems ------------------------------------------------------------
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // --- the description's counter -------------------------------------------------------
  var counter = form.querySelector("[data-counter-for]");
  var textarea = counter && document.getElementById(counter.getAttribute("data-counter-for"));
  if (textarea) {
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var counterStatus = form.querySelector("[data-counter-status]");
    var wasFull = false;
    var count = function () {
      var used = textarea.value.length;
      var full = used >= max;
      counter.textContent = fill(counter.getAttribute("data-template"), { count: used, max: max });
      counter.classList.toggle("report-counter--full", full);
      if (full && !wasFull) {
        say(counterStatus, counter.getAttribute("data-full"));
      }
      wasFull = full;
    };
    textarea.addEventListener("input", count);
    count();
  }

  // --- coordinates -----------------------------------------------------------------------
  var latitudeInput = form.querySelector("input[name='latitude']");
  var longitudeInput = form.querySelector("input[name='longitude']");

  function typedPoint() {
    var latitude = parseFloat(latitudeInput.value);
    var longitude = parseFloat(longitudeInput.value);
    if (isNaN(latitude) || isNaN(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      return null;
    }
    return { lat: latitude, lng: longitude };
  }

  function notifyChange(input) {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setPoint(latitude, longitude) {
    latitudeInput.value = latitude === null ? "" : latitude.toFixed(PLACES);
    longitudeInput.value = longitude === null ? "" : longitude.toFixed(PLACES);
    notifyChange(latitudeInput);
    notifyChange(longitudeInput);
  }

  // --- the map ---------------------------------------------------------------------------
  var map = null;
  var marker = null;
  var box = form.querySelector("[data-report-map]");

  function showMark(point, announce) {
    var pointText = box.querySelector("[data-map-point]");
    var clear = box.querySelector("[data-map-clear]");
    if (point === null) {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      pointText.textContent = "";
      clear.hidden = true;
      return;
    }
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = window.L.marker(point, {
        keyboard: false,
        alt: box.getAttribute("data-marker-label")
      }).addTo(map);
    }
    var text = fill(box.getAttribute("data-chosen"), {
      latitude: point.lat.toFixed(PLACES),
      longitude: point.lng.toFixed(PLACES)
    });
    if (announce) {
      say(pointText, text);
    } else {
      pointText.textContent = text;
    }
    clear.hidden = false;
  }

  function markAt(point) {
    var lng = window.L.Util.wrapNum(point.lng, [-180, 180], true);
    setPoint(point.lat, lng);
    showMark({ lat: point.lat, lng: lng }, true);
  }

  if (box && window.L && box.getAttribute("data-tiles") && latitudeInput && longitudeInput) {
    box.hidden = false;
    var canvas = box.querySelector("[data-map-canvas]");
    var start = typedPoint();
    var centre = start || {
      lat: parseFloat(box.getAttribute("data-latitude")),
      lng: parseFloat(box.getAttribute("data-longitude"))
    };
    map = window.L.map(canvas, { scrollWheelZoom: false }).setView(centre, start ? 17 : 15);
    window.L.tileLayer(box.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: box.getAttribute("data-attribution") || ""
    }).addTo(map);
    if (start) {
      showMark(start, false);
    }
    map.on("click", function (event) {
      markAt(event.latlng);
    });
    canvas.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" || event.key === " ") && event.target === canvas) {
        event.preventDefault();
        markAt(map.getCenter());
      }
    });
    box.querySelector("[data-map-clear]").addEventListener("click", function () {
      setPoint(null, null);
      showMark(null, false);
      canvas.focus();
    });
    [latitudeInput, longitudeInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var point = typedPoint();
        showMark(point, false);
        if (point) {
          map.panTo(point);
        }
      });
    });
    // The fields stay in the form for the map to fill; shown only when something in them
    // needs correcting.
    var coordinates = form.querySelector("[data-coordinates]");
    if (coordinates && !coordinates.querySelector(".field--invalid")) {
      coordinates.hidden = true;
    }
  }

  // --- "use my location" -----------------------------------------------------------------
  var locate = form.querySelector("[data-locate]");
  if (locate && navigator.geolocation && latitudeInput && longitudeInput) {
    var button = locate.querySelector("[data-locate-button]");
    var locateStatus = locate.querySelector("[data-locate-status]");
    locate.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(locateStatus, button.getAttribute("data-finding"));
      navigator.geolocation.getCurrentPosition(
        function (position) {
          button.disabled = false;
          var point = { lat: position.coords.latitude, lng: position.coords.longitude };
          setPoint(point.lat, point.lng);
          if (map) {
            showMark(point, false);
            map.setView(point, 17);
          }
          say(locateStatus, button.getAttribute("data-found"));
        },
        function () {
          button.disabled = false;
          say(locateStatus, button.getAttribute("data-failed"));
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
})();
