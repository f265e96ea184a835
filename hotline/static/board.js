/* The command screen: draws the snapshot as it arrives over server-sent events. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var PALETTE = ["#4e9af1", "#f28e2b", "#59c26b", "#e15759", "#b07aa1", "#edc948", "#76b7b2",
    "#ff9da7", "#9c755f", "#8cd17d", "#bab0ac", "#d37295", "#a0cbe8", "#ffbe7d", "#86bcb6"];
  var SVG = "http://www.w3.org/2000/svg";
  var order = [];

  function $(id) { return document.getElementById(id); }
  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function svg(tag, attrs) {
    var n = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    return n;
  }
  function colour(code) {
    var i = order.indexOf(code);
    return PALETTE[(i < 0 ? order.length : i) % PALETTE.length];
  }

  function bars(target, items, max) {
    var box = $(target);
    box.replaceChildren();
    var top = Math.max(1, max || Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1])));
    items.forEach(function (item) {
      var row = node("div", "bar");
      row.appendChild(node("span", "name", item.label));
      var track = node("span", "track");
      var fill = node("span", "fill");
      fill.style.width = (100 * item.value / top) + "%";
      if (item.colour) fill.style.background = item.colour;
      track.appendChild(fill);
      row.appendChild(track);
      row.appendChild(node("span", "value", String(item.value)));
      box.appendChild(row);
    });
  }

  function acknowledge(id, button) {
    button.disabled = true;
    fetch("/console/tickets/" + encodeURIComponent(id) + "/acknowledge", {
      method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin"
    }).then(function (r) {
      if (r.ok) button.closest(".alarm").remove();
      else button.disabled = false;
    });
  }

  function banner(data) {
    var box = $("banner");
    box.replaceChildren();
    box.hidden = data.emergency_total === 0;
    if (box.hidden) return;
    box.appendChild(node("div", "banner-title", "紧急工单 " + data.emergency_total + " 件，请立即处置"));
    data.emergencies.forEach(function (t) {
      var row = node("div", "alarm");
      row.dataset.ticket = t.id;
      row.appendChild(node("span", "when", t.created));
      row.appendChild(node("span", "what", t.community + " " + t.grid_id + " · " + t.category + " · " + t.summary));
      var button = node("button", "ack", "确认");
      button.addEventListener("click", function () { acknowledge(t.id, button); });
      row.appendChild(button);
      box.appendChild(row);
    });
  }

  function chart(today) {
    var box = $("chart");
    box.replaceChildren();
    var W = 960, H = 300, left = 40, bottom = 28, top = 10;
    var totals = today.hours.map(function (h) {
      return today.series.reduce(function (sum, s) { return sum + s.counts[h]; }, 0);
    });
    var max = Math.max.apply(null, totals.concat([4]));
    var step = (W - left) / 24, scale = (H - top - bottom) / max;
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "今日来电按小时统计" });
    [0, 0.5, 1].forEach(function (f) {
      var y = H - bottom - f * max * scale;
      root.appendChild(svg("line", { x1: left, x2: W, y1: y, y2: y, class: "grid" }));
      var label = svg("text", { x: left - 6, y: y + 5, "text-anchor": "end", class: "axis" });
      label.textContent = String(Math.round(f * max));
      root.appendChild(label);
    });
    today.hours.forEach(function (h) {
      var y = H - bottom;
      today.series.forEach(function (s) {
        var n = s.counts[h];
        if (!n) return;
        var rect = svg("rect", { x: left + h * step + 3, y: y - n * scale, width: step - 6, height: n * scale, fill: colour(s.code) });
        var tip = svg("title", {});
        tip.textContent = h + "时 " + s.name + "：" + n;
        rect.appendChild(tip);
        root.appendChild(rect);
        y -= n * scale;
      });
      if (h % 3 === 0) {
        var t = svg("text", { x: left + h * step + step / 2, y: H - 6, "text-anchor": "middle", class: "axis" });
        t.textContent = h + "时";
        root.appendChild(t);
      }
    });
    box.appendChild(root);
    var legend = node("div", "legend");
    today.series.forEach(function (s) {
      var item = node("span", "key", s.name + " " + s.counts.reduce(function (a, b) { return a + b; }, 0));
      item.style.setProperty("--key", colour(s.code));
      legend.appendChild(item);
    });
    box.appendChild(legend);
  }

  function render(data) {
    order = data.category_order;
    $("open-total").textContent = data.open_total;
    $("today-total").textContent = data.today_total;
    $("overdue-total").textContent = data.overdue_total;
    $("generated").textContent = data.generated;
    banner(data);
    bars("communities", data.communities.map(function (c) { return { label: c.name, value: c.open }; }));
    bars("categories", data.categories.map(function (c) { return { label: c.name, value: c.open, colour: colour(c.code) }; }));
    bars("grids", data.grids.slice(0, 10).map(function (g) { return { label: g.id, value: g.open }; }));
    var list = $("overdue");
    list.replaceChildren();
    data.overdue.forEach(function (t) {
      var li = node("li");
      li.appendChild(node("span", "id", t.id));
      li.appendChild(node("span", "what", t.grid_id + " · " + t.category));
      li.appendChild(node("span", "due", "时限 " + t.due));
      list.appendChild(li);
    });
    if (!data.overdue.length) list.appendChild(node("li", "empty", "没有超时工单"));
    chart(data.today);
    document.body.dataset.generated = data.generated;
  }

  render(JSON.parse($("board-data").textContent));
  var source = new EventSource("/console/board/stream");
  source.onopen = function () { $("live").className = "live on"; };
  source.onerror = function () { $("live").className = "live off"; };
  source.onmessage = function (e) { render(JSON.parse(e.data)); };
})();
