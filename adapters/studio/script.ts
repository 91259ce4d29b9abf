// The studio page's script (sent inline, allowed by its hash): every control posts one change
// to the studio's own server (/api/change, JSON) and swaps in the fragments it answers with.
// A slider being dragged sends its latest value only, one request at a time (the answer to a
// value no longer shown is followed at once by the newer one); each redraw's time from the
// input that asked for it to the next frame after the swap is kept in window.studioTimings
// (the browser test reads its p95). Talks to nothing but its own origin.
export const STUDIO_SCRIPT = `
(function () {
  var timings = (window.studioTimings = []);
  var status = document.getElementById("status");
  var busy = false, queued = null;
  function say(text, state) { status.textContent = text; status.setAttribute("data-state", state || "ready"); }
  function post(path, body) {
    return fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; });
    });
  }
  function swap(f) {
    document.getElementById("joint").innerHTML = f.joint;
    document.getElementById("news").innerHTML = f.news;
    document.getElementById("log").innerHTML = f.log;
    var proj = document.getElementById("projection");
    proj.innerHTML = f.projection;
    proj.setAttribute("data-version", String(f.version));
    status.setAttribute("data-version", String(f.version));
    var inputs = document.querySelectorAll("#controls input[data-kind]");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i], key = el.getAttribute("data-kind") + ":" + el.getAttribute("data-id");
      if (key in f.values && el !== document.activeElement && el !== dragging) el.value = String(f.values[key]);
    }
    var boxes = document.querySelectorAll("#controls input[data-measure]");
    for (var k = 0; k < boxes.length; k++) { var id = boxes[k].getAttribute("data-measure"); if (id in f.measures) boxes[k].checked = f.measures[id]; }
  }
  var dragging = null;
  function send(change, started) {
    if (busy) { queued = { change: change, started: started }; return; }
    busy = true;
    say("projecting…", "busy");
    post("api/change", change).then(function (f) {
      swap(f);
      requestAnimationFrame(function () {
        var ms = performance.now() - started;
        timings.push(ms);
        say("updated in " + Math.round(ms) + " ms (version " + f.version + ")", "ready");
        done();
      });
    }, function (e) { say(e.message, "error"); done(); });
  }
  function done() {
    busy = false;
    if (queued) { var q = queued; queued = null; send(q.change, q.started); }
  }
  function changeOf(el) {
    var kind = el.getAttribute("data-kind"), id = el.getAttribute("data-id"), v = Number(el.value);
    if (!isFinite(v)) return null;
    return kind === "parameter" ? { kind: "parameter", parameter: id, value: v } : { kind: "exogenous", series: id, shift: v };
  }
  function sibling(el) {
    var box = el.closest(".control");
    var other = box.querySelector(el.type === "range" ? "input.field" : "input[type=range]");
    other.value = el.value;
  }
  var controls = document.getElementById("controls");
  controls.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!el.hasAttribute || !el.hasAttribute("data-kind")) return;
    if (el.type === "range") dragging = el;
    sibling(el);
    var c = changeOf(el);
    if (c) send(c, performance.now());
  });
  controls.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.type === "range") dragging = null;
    if (el.hasAttribute && el.hasAttribute("data-measure")) send({ kind: "measure", event: el.getAttribute("data-measure"), on: el.checked }, performance.now());
  });
  controls.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button.reset") : null;
    if (!b) return;
    var box = b.closest(".control");
    var inputs = box.querySelectorAll("input[data-kind]");
    for (var i = 0; i < inputs.length; i++) inputs[i].value = b.getAttribute("data-base");
    var c = changeOf(inputs[0]);
    if (c) send(c, performance.now());
  });
  function formData(form) {
    var out = {};
    var els = form.elements;
    for (var i = 0; i < els.length; i++) if (els[i].name) out[els[i].name] = els[i].value;
    return out;
  }
  document.getElementById("shock-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var d = formData(ev.target);
    var c = { kind: "shock", indicator: d.indicator, value: Number(d.value) };
    if (d.from) c.from = d.from;
    if (d.to) c.to = d.to;
    if (d.sd) c.sd = Number(d.sd);
    send(c, performance.now());
  });
  document.getElementById("release-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var d = formData(ev.target);
    send({ kind: "release", indicator: d.indicator, through: d.through, ytd: Number(d.ytd) }, performance.now());
  });
  document.getElementById("log").addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button[data-remove]") : null;
    if (b) send({ kind: "remove", event: b.getAttribute("data-remove") }, performance.now());
  });
  document.getElementById("save-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = document.getElementById("save-name").value;
    say("saving…", "busy");
    post("api/save", { name: name }).then(function (r) { say("saved " + r.file, "saved"); location.reload(); }, function (e) { say(e.message, "error"); });
  });
  document.getElementById("pick").addEventListener("change", function (ev) {
    say("opening…", "busy");
    post("api/open", { file: ev.target.value }).then(function () { location.reload(); }, function (e) { say(e.message, "error"); });
  });
  document.getElementById("explain-button").addEventListener("click", function () {
    say("explaining…", "busy");
    post("api/explain", {}).then(function (r) { document.getElementById("explain").innerHTML = r.html; say("explained", "ready"); }, function (e) { say(e.message, "error"); });
  });
  document.getElementById("compare-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var files = [];
    var boxes = ev.target.querySelectorAll("input[name=file]:checked");
    for (var i = 0; i < boxes.length; i++) files.push(boxes[i].value);
    say("comparing…", "busy");
    post("api/compare", { files: files }).then(function (r) { document.getElementById("compare").innerHTML = r.html; say("compared", "ready"); }, function (e) { say(e.message, "error"); });
  });
})();
`
