/* Categorisation and hotspot questions brought to life. Each adds a way to answer; it replaces
   none: every categorisation item keeps its set of group buttons (radio buttons, which the keyboard
   and screen readers use), and every hotspot area its entry in the list under the image.
   Categorisation: a box for each group holds the items placed in it; an item is dragged onto a box
   with a mouse, a pen or a finger, or its group chosen under its text. Hotspot: a click or tap on
   the image chooses the area under it and leaves a marker there. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var el = CW.el;
  var t = CW.t;
  var View = CW.QuestionView;
  var proto = View.prototype;
  var SVG = "http://www.w3.org/2000/svg";

  function locked(view) { return view.node.classList.contains("is-locked"); }
  function text(node) { return node ? node.textContent.trim() : ""; }
  function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

  /* ---- Categorisation ---- */

  function sortable(view) {
    var node = view.node;
    var items = Array.prototype.slice.call(node.querySelectorAll(".sort-item"));
    var names = node.querySelectorAll(".sort-group-names li");
    var boxes = el("div", { class: "sort-boxes" });
    var lists = [];
    function box(title, extra, id) {
      var list = el("ul", { class: "sort-box-items" });
      var wrap = el("div", { class: "sort-box" + extra, role: "group", "aria-labelledby": id },
        el("p", { class: "sort-box-title", id: id }, title), list);
      return { wrap: wrap, list: list };
    }
    var base = node.id + "-box";
    var pool = box(t("sort_unsorted"), " sort-box--pool", base + "-pool");
    each(names, function (name, g) {
      var made = box(text(name), "", base + "-" + g);
      made.wrap.setAttribute("data-group", g);
      lists.push(made.list);
      boxes.appendChild(made.wrap);
    });
    var original = node.querySelector(".sort-items");
    original.before(boxes, pool.wrap);
    original.hidden = true;
    node.querySelector(".sort-groups-title").hidden = true;
    node.querySelector(".sort-group-names").hidden = true;
    each(items, function (item) {
      item.querySelector(".sort-text").prepend(el("span", { class: "drag-grip sort-grip", "aria-hidden": "true" }));
    });

    view.refreshSort = function () {
      var focused = document.activeElement;
      items.forEach(function (item) {
        var input = item.querySelector("input:checked");
        (input ? lists[Number(input.value)] : pool.list).appendChild(item);
      });
      pool.wrap.hidden = !pool.list.children.length;
      if (focused && focused !== document.activeElement && node.contains(focused)) focused.focus({ preventScroll: true });
    };
    view.placeItem = function (item, group) {
      var input = item.querySelector('input[value="' + group + '"]');
      if (!input || input.checked) return;
      input.checked = true;
      view.refreshSort();
      view.announce(t("sort_placed", { item: text(item.querySelector(".sort-text")), group: text(names[group]) }));
      view.onChange(view);
    };
    node.addEventListener("change", function (event) {
      var item = event.target.closest(".sort-item");
      if (!item) return;
      view.refreshSort();
      view.announce(t("sort_placed", { item: text(item.querySelector(".sort-text")), group: text(names[Number(event.target.value)]) }));
    });
    items.forEach(function (item) {
      var handle = item.querySelector(".sort-text");
      CW.dropOnto(view, handle, handle, ".sort-box[data-group]", function (box) {
        view.placeItem(item, Number(box.getAttribute("data-group")));
      });
    });
    view.refreshSort();
  }

  /* ---- Hotspot ---- */

  /* The corners of a region as the runtime's data gives them (a rect: two opposite corners). */
  function corners(region) {
    var p = region.points || [];
    if (region.shape === "rect" && p.length === 2) return [p[0], [p[1][0], p[0][1]], p[1], [p[0][0], p[1][1]]];
    return p;
  }

  function area(points) {
    var sum = 0;
    points.forEach(function (p, i) {
      var q = points[(i + 1) % points.length];
      sum += p[0] * q[1] - q[0] * p[1];
    });
    return Math.abs(sum / 2);
  }

  function inside(points, x, y) {
    var hit = false;
    for (var i = 0, j = points.length - 1; i < points.length; j = i++) {
      var a = points[i], b = points[j];
      if ((a[1] > y) !== (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) hit = !hit;
    }
    return hit;
  }

  /* The region under a point (in percent of the image); of regions inside one another, the smallest. */
  function regionAt(regions, x, y) {
    var found = -1, best = Infinity;
    regions.forEach(function (region, i) {
      var c = corners(region);
      var size = area(c);
      if (inside(c, x, y) && size < best) { found = i; best = size; }
    });
    return found;
  }

  function centre(region) {
    var c = corners(region), x = 0, y = 0;
    c.forEach(function (p) { x += p[0]; y += p[1]; });
    return c.length ? [x / c.length, y / c.length] : [50, 50];
  }

  function spottable(view) {
    var node = view.node;
    var regions = view.q.regions || [];
    var stage = node.querySelector(".hotspot-stage");
    var image = stage.querySelector(".hotspot-image");
    var layer = document.createElementNS(SVG, "svg");
    layer.setAttribute("class", "hotspot-layer");
    layer.setAttribute("viewBox", "0 0 100 100");
    layer.setAttribute("preserveAspectRatio", "none");
    layer.setAttribute("aria-hidden", "true");
    var markers = el("div", { class: "hotspot-markers", "aria-hidden": "true" });
    stage.append(layer, markers);
    stage.classList.add("is-live");
    var points = {};  // region index → where the learner clicked it

    function input(index) { return node.querySelector('.hotspot-option input[value="' + index + '"]'); }

    view.refreshMarkers = function () {
      markers.textContent = "";
      each(node.querySelectorAll(".hotspot-option input:checked"), function (box) {
        var index = Number(box.value);
        var at = points[index] || centre(regions[index] || {});
        var marker = el("span", { class: "hotspot-marker", "data-index": index });
        marker.style.insetInlineStart = at[0] + "%";  // the stage is left to right: the picture is never mirrored
        marker.style.insetBlockStart = at[1] + "%";
        var option = box.closest(".option");
        if (option.classList.contains("is-right")) marker.classList.add("is-right");
        if (option.classList.contains("is-wrong")) marker.classList.add("is-wrong");
        markers.appendChild(marker);
      });
    };
    view.outline = function (index, kind) {
      var shape = document.createElementNS(SVG, "polygon");
      shape.setAttribute("points", corners(regions[index] || {}).map(function (p) { return p.join(","); }).join(" "));
      shape.setAttribute("class", "hotspot-region hotspot-region--" + kind);
      layer.appendChild(shape);
    };
    view.clearOutlines = function () { layer.textContent = ""; };

    stage.addEventListener("click", function (event) {
      if (locked(view)) return;
      var box = image.getBoundingClientRect();
      if (!box.width || !box.height) return;
      var x = (event.clientX - box.left) / box.width * 100;
      var y = (event.clientY - box.top) / box.height * 100;
      var index = regionAt(regions, x, y);
      if (index < 0) {
        view.say(t("hotspot_miss"));
        return;
      }
      var choice = input(index);
      var on = choice.type === "radio" || !choice.checked;
      choice.checked = on;
      if (on) points[index] = [x, y];
      view.say("");
      view.refreshMarkers();
      view.announce(t(on ? "hotspot_chosen" : "hotspot_unchosen", { label: text(choice.closest(".option").querySelector("label")) }));
      view.onChange(view);
    });
    node.addEventListener("change", function (event) {
      if (!event.target.closest(".hotspot-option")) return;
      delete points[Number(event.target.value)];
      view.refreshMarkers();
    });
  }

  /* ---- the view, extended ---- */

  var write = proto.write;
  proto.write = function (response) {
    write.call(this, response);
    if (this.refreshSort) this.refreshSort();
    if (this.refreshMarkers) this.refreshMarkers();
  };

  var clear = proto.clear;
  proto.clear = function () {
    clear.call(this);
    if (this.clearOutlines) this.clearOutlines();
  };

  /* After checking a hotspot: each chosen area outlined right or wrong, and the right ones when shown. */
  var showFeedback = proto.showFeedback;
  proto.showFeedback = function (response, reveal) {
    var correct = showFeedback.call(this, response, reveal);
    var view = this;
    if (this.outline) {
      (this.q.regions || []).forEach(function (region, i) {
        var chosen = (response || []).indexOf(i) >= 0;
        if (chosen) view.outline(i, region.correct ? "right" : "wrong");
        else if (reveal && region.correct) view.outline(i, "answer");
      });
      this.refreshMarkers();
    }
    return correct;
  };

  var Base = CW.QuestionView;
  CW.QuestionView = function (node, question, onChange) {
    Base.call(this, node, question, onChange);
    if (question.type === "categorisation" && node.querySelector(".sort-items")) sortable(this);
    if (question.type === "hotspot" && node.querySelector(".hotspot-stage")) spottable(this);
  };
  CW.QuestionView.prototype = proto;
})(typeof window !== "undefined" ? window : globalThis);
