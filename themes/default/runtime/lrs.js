/* The Learning Record Store client and the offline queue. Statements wait in local storage until
   the LRS has them: sent oldest first (a batch is one POST of an array, which an LRS stores in that
   order), exactly once (each statement carries its own id, and an LRS keeps one statement per id,
   so a batch sent again after a lost answer is not stored twice), and tried again when the network
   returns. Nothing is lost across a reload or a closed tab: the next visit sends what is left.
   This is the only part of the course that reaches the network, and only when an LRS is set. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var KEY = "coursewright:xapi-queue";
  var VERSION = "1.0.3";
  var BATCH = 25;
  var RETRY_FIRST = 2000; // ms; doubles after each failure, up to RETRY_LAST
  var RETRY_LAST = 60000;
  var KEEPALIVE_BYTES = 60000; // browsers refuse keepalive bodies over 64 KiB
  var REQUEST_TIMEOUT = 30000; // ms

  function headers(auth, type) {
    var h = { "X-Experience-API-Version": VERSION };
    if (auth) h.Authorization = auth;
    if (type) h["Content-Type"] = type;
    return h;
  }

  /* One request, answered as {status, text}; status 0 when the LRS could not be reached, or did
     not answer within REQUEST_TIMEOUT (a network that drops packets would otherwise hold the queue).
     `leaving`: the page is going away; the browser sends a body small enough even after it has gone. */
  function send(method, url, auth, body, type, leaving) {
    var options = { method: method, headers: headers(auth, body === undefined ? null : type || "application/json") };
    if (body !== undefined) options.body = body;
    if (leaving) options.keepalive = body.length <= KEEPALIVE_BYTES;
    var timer = null;
    if (typeof root.AbortController === "function") {
      var abort = new root.AbortController();
      options.signal = abort.signal;
      timer = setTimeout(function () { abort.abort(); }, REQUEST_TIMEOUT);
    }
    var done = function (answer) { clearTimeout(timer); return answer; };
    return root.fetch(url, options).then(function (response) {
      return response.text().then(function (text) { return done({ status: response.status, text: text }); });
    }).then(null, function () { return done({ status: 0, text: "" }); });
  }

  /* The same, waiting for the answer: for what a course needs before it can start (the launch
     data, the saved state), like the SCORM API's synchronous calls. */
  function sendSync(method, url, auth, body, type) {
    try {
      var xhr = new root.XMLHttpRequest();
      xhr.open(method, url, false);
      var h = headers(auth, body === undefined ? null : type || "application/json");
      Object.keys(h).forEach(function (name) { xhr.setRequestHeader(name, h[name]); });
      xhr.send(body === undefined ? null : body);
      return { status: xhr.status, text: xhr.responseText };
    } catch (e) {
      return { status: 0, text: "" };
    }
  }

  /* The LRS has the statements: stored now, or already (409: the same ids came before). */
  function stored(answer) {
    return (answer.status >= 200 && answer.status < 300) || answer.status === 409;
  }

  function query(params) {
    return Object.keys(params).filter(function (k) { return params[k] !== undefined && params[k] !== null; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); }).join("&");
  }

  function browserStorage() {
    try {
      return root.localStorage;
    } catch (e) {
      return null;
    }
  }

  function Queue(store) {
    this.store = store === undefined ? browserStorage() : store;
    this.memory = [];
    this.sending = null;
    this.failed = false;
    this.delay = RETRY_FIRST;
    this.timer = null;
    this.auths = {}; // endpoint → the Authorization of the session running now
    var self = this;
    try {
      root.addEventListener("online", function () { self.flush(); });
      root.addEventListener("storage", function (event) { if (event.key === KEY) self.changed(); });
    } catch (e) { /* no window events */ }
  }

  Queue.prototype.read = function () {
    if (!this.store) return this.memory.slice();
    try {
      var list = JSON.parse(this.store.getItem(KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return this.memory.slice();
    }
  };

  Queue.prototype.write = function (list) {
    this.memory = list.slice();
    if (!this.store) return;
    try {
      if (list.length) this.store.setItem(KEY, JSON.stringify(list));
      else this.store.removeItem(KEY);
    } catch (e) {
      CW.report("the browser refused to keep " + list.length + " unsent statements: " + e);
    }
  };

  Queue.prototype.pending = function () {
    return this.read().length;
  };

  Queue.prototype.changed = function () {
    CW.emit("lrs", { pending: this.pending(), failed: this.failed });
  };

  /* Keep a statement, then try to send everything waiting. */
  Queue.prototype.add = function (endpoint, auth, statement) {
    var list = this.read();
    list.push({ endpoint: endpoint, auth: auth, statement: statement });
    this.write(list);
    this.changed();
    return this.flush();
  };

  /* Take statements out of the queue (by id), whether sent or withdrawn. */
  Queue.prototype.remove = function (ids) {
    var gone = {};
    ids.forEach(function (id) { gone[id] = true; });
    this.write(this.read().filter(function (e) { return !gone[e.statement.id]; }));
  };

  Queue.prototype.has = function (id) {
    return this.read().some(function (e) { return e.statement.id === id; });
  };

  /* Send what waits, oldest first; one flush at a time in this page, and across tabs where the
     browser has Web Locks. Resolves to whether the queue is empty. */
  Queue.prototype.flush = function () {
    var self = this;
    if (this.sending) return this.sending;
    clearTimeout(this.timer);
    this.timer = null;
    var run = function () { return self.drain(); };
    var locks = root.navigator && root.navigator.locks;
    var work = locks && typeof locks.request === "function" ? locks.request(KEY, run) : run();
    this.sending = Promise.resolve(work).then(function (empty) {
      self.sending = null;
      self.failed = !empty;
      if (empty) self.delay = RETRY_FIRST;
      else self.retry();
      self.changed();
      return empty;
    }, function (error) {
      self.sending = null;
      CW.report(error);
      return false;
    });
    return this.sending;
  };

  Queue.prototype.retry = function () {
    var self = this;
    if (this.timer || !this.pending()) return;
    this.timer = setTimeout(function () { self.timer = null; self.flush(); }, this.delay);
    this.delay = Math.min(RETRY_LAST, this.delay * 2);
  };

  /* The first entries that go to the same LRS with the same credentials, at most one batch. */
  function batch(list) {
    var head = list[0], out = [];
    for (var i = 0; i < list.length && out.length < BATCH; i++) {
      if (list[i].endpoint !== head.endpoint || list[i].auth !== head.auth) break;
      out.push(list[i]);
    }
    return out;
  }

  Queue.prototype.drain = function () {
    var self = this;
    var list = this.read();
    if (!list.length) return Promise.resolve(true);
    var entries = batch(list);
    var head = entries[0];
    var body = JSON.stringify(entries.map(function (e) { return e.statement; }));
    return send("POST", head.endpoint + "statements", head.auth, body).then(function (answer) {
      var ids = entries.map(function (e) { return e.statement.id; });
      if (stored(answer)) {
        self.remove(ids);
        self.changed();
        return self.drain();
      }
      var fresh = self.auths[head.endpoint];
      if ((answer.status === 401 || answer.status === 403) && fresh && fresh !== head.auth) {
        // Older statements, credentials of an earlier launch: this launch's may send them.
        self.write(self.read().map(function (e) {
          if (e.endpoint === head.endpoint) e.auth = fresh;
          return e;
        }));
        return self.drain();
      }
      if (answer.status === 400 && entries.length === 1) {
        CW.report("the LRS refused a statement it will never accept, left out: " + answer.text.slice(0, 300));
        self.remove(ids);
        return self.drain();
      }
      if (answer.status === 400) return self.drainOneByOne(entries);
      return false;
    });
  };

  /* After a refused batch: send its statements one at a time, so only the bad one is left out. */
  Queue.prototype.drainOneByOne = function (entries) {
    var self = this;
    var entry = entries[0];
    return send("POST", entry.endpoint + "statements", entry.auth, JSON.stringify([entry.statement])).then(function (answer) {
      if (stored(answer) || answer.status === 400) {
        if (answer.status === 400) CW.report("the LRS refused a statement, left out: " + answer.text.slice(0, 300));
        self.remove([entry.statement.id]);
        return entries.length > 1 ? self.drainOneByOne(entries.slice(1)) : self.drain();
      }
      return false;
    });
  };

  /* When the page goes away: hand what waits to the browser, which sends it even after the page
     is gone. The queue keeps it all the same: if it did not arrive, the next visit sends it, and
     if it did, the LRS already has those ids. */
  Queue.prototype.sendOnLeaving = function () {
    var list = this.read();
    if (!list.length) return;
    var entries = batch(list);
    var body = JSON.stringify(entries.map(function (e) { return e.statement; }));
    if (body.length <= KEEPALIVE_BYTES) send("POST", entries[0].endpoint + "statements", entries[0].auth, body, null, true);
  };

  /* The indicator in the page header: how many results wait, and a button to try again. */
  function Indicator(queue) {
    this.queue = queue;
    this.box = document.getElementById("lrs-status");
    this.text = this.box && this.box.querySelector(".lrs-status-text");
    this.shown = false;
    this.note = "";
    this.noteWarns = false;
    var self = this;
    if (!this.box || !this.text) return;
    CW.on("lrs", function (s) { self.update(s); });
    this.box.addEventListener("click", function (event) {
      if (event.target.closest('[data-action="lrs-retry"]')) queue.flush();
    });
  }

  Indicator.prototype.update = function (s) {
    var button = this.box.querySelector('[data-action="lrs-retry"]');
    if (this.note) {
      this.show(this.note, this.noteWarns);
    } else if (s.pending && s.failed) {
      this.show(CW.t("lrs_unsent", { count: s.pending }), true);
    } else if (!s.pending && this.shown) {
      this.show(CW.t("lrs_all_sent"), false);
    }
    if (button) button.hidden = !(s.pending && s.failed) || !!this.note;
  };

  Indicator.prototype.show = function (text, warn) {
    this.shown = true;
    this.box.hidden = false;
    this.box.classList.toggle("is-warning", !!warn);
    if (this.text.textContent !== text) this.text.textContent = text;
  };

  /* A lasting message (a session the LMS has closed, a launch with no token) in place of the counts:
     an alert, read out as the course opens, that the keyboard reaches in the header. */
  Indicator.prototype.say = function (text, warn) {
    if (!this.text) return;
    this.note = text;
    this.noteWarns = !!warn;
    this.text.setAttribute("role", "alert");
    this.text.tabIndex = 0;
    this.update({ pending: this.queue.pending(), failed: this.queue.failed });
  };

  var shared = null;
  CW.lrs = {
    KEY: KEY,
    VERSION: VERSION,
    send: send,
    sendSync: sendSync,
    query: query,
    Queue: Queue,
    /* The page's one queue and its indicator, made when a tracker first needs them. */
    queue: function () {
      if (!shared) {
        shared = new Queue();
        CW.lrs.indicator = typeof document !== "undefined" ? new Indicator(shared) : null;
      }
      return shared;
    },
    indicator: null
  };
})(globalThis);
