/* Pages loaded on demand: index.html carries the modules and the first module's pages; the rest of the
   outline is pages/outline.js, loaded while the learner reads (or first, when the learner's state or
   address reaches beyond the first module). Each page is a script of its own
   (pages/<module>/<page>.js, which browsers load from file://, where fetch() fails) that hands its
   section and its full data to `coursewrightPages.push`. A page is loaded when the learner goes
   there, and the pages around it while the browser is idle. A course that already holds every page
   (the single-file edition, a theme without pages on demand) never loads anything. The glossary and
   the frameworks come alike (pages/glossary.js, pages/frameworks.js) when the course data lists
   them as `apart`: when the learner opens them, one of their entries or a reference card. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var course = null;
  var received = {}; // page id → {html, quiz, scenario, checks}, until its section is made
  var loading = {}; // page id → callbacks waiting for it
  var failed = {};
  var byId = {}; // page id → its page in the course data
  var OUTLINE = "outline"; // pages/outline.js: what index.html leaves out of the outline (no page id lacks a "/")
  var apart = []; // the reference pages index.html leaves out: "glossary", "frameworks"
  // The reference pages in the order they follow the course's pages, and the anchors each holds.
  var REFERENCES = ["glossary", "frameworks", "end"];
  var HOLDS = { glossary: /^(g-|glossary)/, frameworks: /^(fw-|frameworks)/ };

  /* A quiz summary's question keys, left out when they are "<page>/<question id>". */
  function keyQuestions(quizzes) {
    Object.keys(quizzes || {}).forEach(function (id) {
      (quizzes[id].questions || []).forEach(function (q) {
        if (!q.key) q.key = id + "/" + q.id;
      });
    });
  }

  /* The outline (`[[module id, title, [[slug, title, kind?], ...] or its number of pages, its first
     page [slug, title, kind?] (the second module's)], ...]`) as the runtime's modules and pages: the
     same objects a course with every page in it has. A module index.html gives by its number of
     pages (`size`) has no more than its first page until pages/outline.js lists them (`complete`):
     Next leads from the first module into the second at once. */
  function expand(data) {
    if (!data.outline) return data;
    data.modules = [];
    data.pages = [];
    data.outline.forEach(function (m) {
      var module = { id: m[0], title: m[1], pages: [] };
      function add(p) {
        var id = m[0] + "/" + p[0];
        module.pages.push(id);
        data.pages.push({ id: id, kind: p[2] || "lesson", title: p[1], module: m[0] });
      }
      if (typeof m[2] === "number") {
        module.size = m[2];
        if (Array.isArray(m[3])) add(m[3]);
      } else {
        m[2].forEach(add);
      }
      data.modules.push(module);
    });
    delete data.outline;
    keyQuestions(data.quizzes);
    return data;
  }

  /* pages/outline.js: the pages of the modules index.html gives by their number only, and the
     summaries of their quizzes, scenarios and inline checks, join the course (the same arrays, in
     reading order); whatever holds pages by id is told ("outline"). */
  function complete(chunk) {
    var lists = chunk.pages || [];
    var all = [];
    course.modules.forEach(function (module, i) {
      var listed = lists[i];
      if (module.size && Array.isArray(listed)) {
        module.pages = listed.map(function (p) {
          var id = module.id + "/" + p[0];
          if (!byId[id]) byId[id] = { id: id, kind: p[1] || "lesson", title: "", module: module.id };
          return id;
        });
        delete module.size;
      }
      module.pages.forEach(function (id) { if (byId[id]) all.push(byId[id]); });
    });
    course.pages.length = 0;
    all.forEach(function (p) { course.pages.push(p); });
    ["quizzes", "scenarios", "checks"].forEach(function (part) {
      var given = chunk[part] || {};
      course[part] = course[part] || {};
      Object.keys(given).forEach(function (id) {
        if (!CW.own(course[part], id)) course[part][id] = given[id]; // a page's script may have brought it whole
      });
    });
    keyQuestions(course.quizzes);
    if (typeof chunk.cards === "string") course.cards = chunk.cards; // the landing's other module cards (runtime/landing.js)
    var wasPartial = course.untitled;
    course.untitled = false;
    if (wasPartial) CW.emit("outline");
  }

  /* Titles index.html left out (beyond the first module): from pages/outline.js, module by module, with
     the pages it lists, or from a page's own script. Whatever shows a page's title is told ("titles"). */
  function entitle(chunk) {
    var changed = false;
    function give(page, title) {
      if (page && !page.title && typeof title === "string" && title) {
        page.title = title;
        changed = true;
      }
    }
    if (chunk.titles) {
      complete(chunk);
      course.modules.forEach(function (module, i) {
        module.pages.forEach(function (id, j) { give(byId[id], (chunk.titles[i] || [])[j]); });
      });
    } else {
      give(byId[chunk.id], chunk.title);
    }
    if (changed) CW.emit("titles");
  }

  /* A page's script ran: its data joins the course's at once (quizzes, scenarios, checks). */
  function receive(chunk) {
    if (!chunk || typeof chunk.id !== "string") return;
    if (chunk.titles) {
      received[chunk.id] = chunk;
      if (course) entitle(chunk);
      return;
    }
    if (typeof chunk.html !== "string") return;
    received[chunk.id] = chunk;
    if (!course) return;
    if (chunk.title) entitle(chunk);
    if (chunk.quiz) course.quizzes[chunk.id] = chunk.quiz;
    if (chunk.scenario) course.scenarios[chunk.id] = chunk.scenario;
    if (chunk.checks) Object.keys(chunk.checks).forEach(function (key) { course.checks[key] = chunk.checks[key]; });
  }

  function src(id) {
    return "pages/" + id.split("/").map(encodeURIComponent).join("/") + ".js";
  }

  function settle(id) {
    var waiting = loading[id] || [];
    delete loading[id];
    waiting.forEach(function (fn) {
      try {
        fn(!!received[id]);
      } catch (e) {
        CW.report(e);
      }
    });
  }

  /* Bring page `id`'s script; `done(ok)` once it ran (or failed to load). */
  function fetchPage(id, done) {
    if (received[id] || failed[id]) {
      if (done) done(!!received[id]);
      return;
    }
    if (loading[id]) {
      if (done) loading[id].push(done);
      return;
    }
    loading[id] = done ? [done] : [];
    // index.html's first lines may have asked for it already (the page of the first module the address names).
    var script = document.querySelector('script[data-early="' + id.replace(/["\\]/g, "") + '"]');
    if (script && script.hasAttribute("data-loaded")) return loaded(id, script);
    if (!script) {
      script = document.createElement("script");
      script.src = src(id);
    }
    script.onload = script.onerror = function () { loaded(id, script); };
    if (!script.parentNode) document.head.appendChild(script);
  }
  function loaded(id, script) {
    script.remove();
    if (!received[id]) failed[id] = true;
    settle(id);
  }

  /* The page's section, made from its HTML and placed among the pages (before the glossary, the
     frameworks and the end screen, in that order, whatever order they load in). */
  var made = {}; // page id → its section, once made

  /* The section of the first page after `id`, in reading order, that is in the document: sections
     stay in reading order, whatever order they load in (printing a module prints them in order). */
  function nextSection(id) {
    var order = course ? course.pages : [];
    for (var i = 0; i < order.length; i++) {
      if (order[i].id !== id) continue;
      for (var j = i + 1; j < order.length; j++) {
        if (made[order[j].id]) return made[order[j].id];
      }
      break;
    }
    return null;
  }
  /* What a section goes before: a page's, the next page loaded or the first reference page; a
     reference page's, the reference pages after it (the end screen last). */
  function following(id, main) {
    var at = REFERENCES.indexOf(id);
    if (at < 0) return nextSection(id) || main.querySelector(":scope > section.page:not([data-page*='/']), :scope > .pager");
    var later = REFERENCES.slice(at + 1).map(function (page) { return ':scope > section.page[data-page="' + page + '"]'; });
    return main.querySelector(later.concat(":scope > .pager").join(", "));
  }
  function makeSection(id) {
    if (made[id]) return made[id];
    var chunk = received[id];
    var holder = document.createElement("template");
    holder.innerHTML = chunk.html;
    var section = holder.content.querySelector("section.page");
    if (!section) return null;
    var main = document.getElementById("main");
    main.insertBefore(section, following(id, main));
    chunk.html = ""; // the DOM holds it now
    made[id] = section;
    return section;
  }

  /* `done(section)` with page `id`'s section in the document, or `done(null)` when it cannot load. */
  function load(id, done) {
    if (document.querySelector('section.page[data-page="' + id.replace(/["\\]/g, "") + '"]')) {
      done(document.querySelector('section.page[data-page="' + id.replace(/["\\]/g, "") + '"]'));
      return;
    }
    fetchPage(id, function (ok) {
      if (!ok) return done(null);
      // A quiz or a scenario comes with its part of the runtime (runtime/parts.js).
      CW.parts.need(CW.parts.forPage(received[id]), function () { done(makeSection(id)); });
    });
  }

  /* `done()` once every page of `ids` is in the document (or could not load): for printing a module. */
  function loadAll(ids, done) {
    var left = ids.length;
    if (!left) done();
    ids.forEach(function (id) {
      load(id, function () {
        if (--left === 0) done();
      });
    });
  }

  /* Bring pages the learner is likely to open next, one at a time, while the browser is idle. */
  var queue = [];
  var idleQueued = false;
  function whenIdle(fn) {
    if (root.requestIdleCallback) root.requestIdleCallback(fn, { timeout: 2000 });
    else setTimeout(fn, 200);
  }
  function prefetchNext() {
    idleQueued = false;
    var id;
    while ((id = queue.shift()) && (received[id] || failed[id] || loading[id])) { /* skip known */ }
    if (!id) return;
    fetchPage(id, function (ok) {
      if (ok) CW.parts.need(CW.parts.forPage(received[id]));
      if (queue.length && !idleQueued) {
        idleQueued = true;
        whenIdle(prefetchNext);
      }
    });
  }
  function prefetch(ids) {
    // The titles come after the pages next and before this one (the contents and the pager show them).
    if (course && course.untitled) ids = ids.slice(0, 2).concat(OUTLINE, ids.slice(2));
    queue = ids.filter(function (id) { return id && !received[id] && !failed[id]; });
    if (queue.length && !idleQueued) {
      idleQueued = true;
      whenIdle(prefetchNext);
    }
  }

  /* `done()` once every page is listed and has its title (at once when index.html gave them all). */
  function titles(done) {
    if (!course || !course.untitled) {
      if (done) done();
      return;
    }
    fetchPage(OUTLINE, function () {
      if (done) done();
    });
  }

  /* Whether `id` is a reference page index.html leaves out (loaded like a page). */
  function isApart(id) {
    return apart.indexOf(id) >= 0;
  }

  /* The page of the course whose element `anchor` names, among the pages known so far, or null. Its id
     says: the builder begins every id in a page with the page's anchor, "p-<module>--<page>" (a heading
     "p-<module>--<page>--<words>", a footnote "fn-p-…" or "fnref-p-…", a scenario's node "s-p-…"), or
     with its id for a question ("q-<module>/<page>/<question>"). */
  var OWNED = /^(?:fn-|fnref-|s-)?p-(.+)$/;
  function owner(anchor) {
    var question = /^q-([^/]+\/[^/]+)\//.exec(anchor);
    if (question) return CW.own(byId, question[1]) ? question[1] : null;
    var rest = OWNED.exec(anchor);
    var found = null;
    if (rest) {
      Object.keys(byId).forEach(function (id) {
        var prefix = id.replace("/", "--");
        var after = rest[1].charAt(prefix.length);
        if (rest[1].indexOf(prefix) === 0 && (after === "" || after === "-") && (!found || id.length > found.length)) found = id;
      });
    }
    return found;
  }

  /* Whether `anchor` has the form of an element of a page of the course (see owner()). */
  function ofPage(anchor) {
    return OWNED.test(anchor) || /^q-[^/]+\/[^/]+\//.test(anchor);
  }

  /* The page that holds an element `anchor` names when it is not in the document: the page of the
     course its id names (the page part of an address decides, whatever words follow), else the
     reference page index.html leaves out (a glossary entry "g-<term>", an article
     "fw-<instrument>--art-<n>"); null for none. */
  function holding(anchor) {
    var page = owner(anchor);
    if (page || ofPage(anchor)) return page;
    for (var i = 0; i < apart.length; i++) {
      if (HOLDS[apart[i]] && HOLDS[apart[i]].test(anchor)) return apart[i];
    }
    return null;
  }

  /* `done(element)` with the element `anchor` names, its reference page brought first when index.html
     leaves it out; `done(null)` when there is none. */
  function find(anchor, done) {
    var element = document.getElementById(anchor);
    var page = element ? null : holding(anchor);
    if (!page) return done(element);
    load(page, function (section) { done(section ? document.getElementById(anchor) : null); });
  }

  /* Whether index.html's outline is all the runtime has yet (the pages beyond the first module are
     still to come with pages/outline.js). */
  function partial() {
    return !!(course && course.untitled);
  }

  /* Whether a saved state or an address reaches beyond what index.html lists: a page, quiz, scenario
     or inline check of another module, or the end screen (which names every page still to do). The
     course then starts once pages/outline.js is there, so that the learner's progress, the resume
     offer and the verdict are whole from the first screen. */
  function beyond(saved, hash) {
    if (!partial()) return false;
    function unknown(id) {
      return typeof id === "string" && id !== "" && !byId[id];
    }
    var address = /^#\/(.+)$/.exec(String(hash || ""));
    if (address) {
      var target;
      try {
        target = decodeURIComponent(address[1]);
      } catch (e) {
        target = "";
      }
      if (target === "end" || (target.indexOf("/") > 0 && unknown(target))) return true;
    }
    var anchor = /^#([^/].*)$/.exec(String(hash || ""));
    if (anchor) {
      try {
        anchor = decodeURIComponent(anchor[1]);
      } catch (e) {
        anchor = "";
      }
      // An element of a page the outline does not list yet (a heading of a later module's page).
      if (anchor && ofPage(anchor) && !owner(anchor) && !document.getElementById(anchor)) return true;
    }
    if (!saved || typeof saved !== "object") return false;
    var ids = [saved.location].concat(Array.isArray(saved.visited) ? saved.visited : []);
    ["quizzes", "scenarios"].forEach(function (part) {
      if (saved[part] && typeof saved[part] === "object") ids = ids.concat(Object.keys(saved[part]));
    });
    if (saved.checks && typeof saved.checks === "object") {
      ids = ids.concat(Object.keys(saved.checks).map(function (key) { return key.slice(0, key.lastIndexOf("/")); }));
    }
    return ids.some(unknown);
  }

  /* Start: the course data the runtime runs on, and the pages that arrived before it. */
  function init(data) {
    course = data;
    apart = Array.isArray(data.apart) ? data.apart : [];
    byId = {};
    data.pages.forEach(function (p) { byId[p.id] = p; });
    var early = root.coursewrightPages || [];
    root.coursewrightPages = { push: receive };
    early.forEach(receive);
  }

  CW.pages = { expand: expand, init: init, load: load, loadAll: loadAll, prefetch: prefetch, src: src, titles: titles,
    whole: titles, partial: partial, beyond: beyond, isApart: isApart, holding: holding, ofPage: ofPage, find: find,
    apart: function () { return apart.slice(); } };
})(globalThis);
