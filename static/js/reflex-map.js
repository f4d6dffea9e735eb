/*
 * The interactive reflex map on the session record form (templates/sessions/records/form.html).
 * Progressive enhancement only: without this script the map stays hidden and the checkbox list
 * posts the points. With it, each point on the map is a button (aria-pressed) that ticks or
 * unticks the SAME checkbox (point-<slug>-<side>) and shows that point's tenderness choice, so
 * the form posts exactly the same fields either way.
 *
 * A point inside an area to avoid carries data-avoid (worked out on the server by
 * sessions.record_safety): choosing it, on the map or in the list, shows a warning at once.
 * Saving still goes through the server's check, which asks for the override with a reason.
 *
 * Keyboard: the map is one Tab stop (roving tabindex); arrow keys move between points, Home and
 * End go to the first and last, Enter or Space toggles the point, Tab reaches the chosen point's
 * tenderness, and Escape there returns to the point.
 */
(function () {
  "use strict";

  var warning = document.querySelector("[data-avoid-warning]");

  function warnIfAvoided(box, label) {
    if (!warning) {
      return;
    }
    var avoid = box.getAttribute("data-avoid");
    if (!box.checked || !avoid) {
      return;
    }
    // The sentence comes from the page (data-text), in its language.
    warning.textContent = (warning.getAttribute("data-text") || "{point} is in an area to avoid: {area}.")
      .replace("{point}", label)
      .replace("{area}", avoid);
    warning.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".rb-point-check[data-avoid]"), function (box) {
    box.addEventListener("change", function () {
      var label = document.querySelector('label[for="' + box.id + '"]');
      warnIfAvoided(box, label ? label.textContent.replace(/\s+/g, " ").trim() : box.name);
    });
  });

  var root = document.querySelector("[data-reflex-map]");
  if (!root) {
    return;
  }
  var form = root.closest("form");
  var spots = Array.prototype.slice.call(root.querySelectorAll(".rb-spot"));
  var panel = root.querySelector("[data-map-panel]");
  var panelName = panel.querySelector("[data-map-panel-name]");
  var panelState = panel.querySelector("[data-map-panel-state]");
  var panelFor = panel.querySelector("[data-map-panel-for]");
  var panelTenderWrap = panel.querySelector("[data-map-panel-tender-wrap]");
  var panelTender = panel.querySelector("[data-map-panel-tender]");
  var listToggle = root.querySelector("[data-map-list-toggle]");
  var active = null;

  function field(prefix, spot) {
    return form.elements.namedItem(prefix + "-" + spot.getAttribute("data-key"));
  }

  function showPanel() {
    if (!active) {
      return;
    }
    var box = field("point", active);
    var tender = field("tender", active);
    panel.hidden = false;
    panelName.textContent = active.getAttribute("aria-label");
    panelState.textContent = box.checked
      ? root.getAttribute("data-text-chosen") || "(chosen)"
      : root.getAttribute("data-text-not-chosen") || "(not chosen)";
    panelFor.textContent = " (" + active.getAttribute("aria-label") + ")";
    panelTenderWrap.hidden = !box.checked;
    if (tender) {
      panelTender.value = tender.value;
    }
  }

  function paint(spot) {
    var box = field("point", spot);
    var tender = field("tender", spot);
    var level = box.checked && tender ? tender.value : "0";
    spot.setAttribute("aria-pressed", box.checked ? "true" : "false");
    spot.setAttribute("class", "rb-spot rb-tender-" + level);
    spot.querySelector("text").textContent = level;
    if (spot === active) {
      showPanel();
    }
  }

  function toggle(spot) {
    var box = field("point", spot);
    box.checked = !box.checked;
    active = spot;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    paint(spot);
  }

  function focusSpot(index) {
    var count = spots.length;
    var target = spots[((index % count) + count) % count];
    spots.forEach(function (spot) {
      spot.setAttribute("tabindex", spot === target ? "0" : "-1");
    });
    target.focus();
  }

  spots.forEach(function (spot, index) {
    var box = field("point", spot);
    var tender = field("tender", spot);
    if (!box) {
      return;
    }
    spot.addEventListener("click", function () {
      focusSpot(index);
      toggle(spot);
    });
    spot.addEventListener("focus", function () {
      spots.forEach(function (other) {
        other.setAttribute("tabindex", other === spot ? "0" : "-1");
      });
      active = spot;
      showPanel();
    });
    spot.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "Enter":
        case " ":
        case "Spacebar":
          event.preventDefault();
          toggle(spot);
          break;
        case "ArrowRight":
        case "ArrowDown":
          event.preventDefault();
          focusSpot(index + 1);
          break;
        case "ArrowLeft":
        case "ArrowUp":
          event.preventDefault();
          focusSpot(index - 1);
          break;
        case "Home":
          event.preventDefault();
          focusSpot(0);
          break;
        case "End":
          event.preventDefault();
          focusSpot(spots.length - 1);
          break;
        default:
          break;
      }
    });
    box.addEventListener("change", function () {
      paint(spot);
    });
    if (tender) {
      tender.addEventListener("change", function () {
        paint(spot);
      });
    }
  });

  panelTender.addEventListener("change", function () {
    if (!active) {
      return;
    }
    var tender = field("tender", active);
    tender.value = panelTender.value;
    tender.dispatchEvent(new Event("change", { bubbles: true }));
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && active) {
      event.preventDefault();
      active.focus();
    }
  });

  listToggle.addEventListener("click", function () {
    var compact = form.classList.toggle("rb-compact");
    listToggle.setAttribute("aria-pressed", compact ? "false" : "true");
  });

  root.hidden = false;
  form.classList.add("rb-map-on", "rb-compact");
})();
