// A timeline of an entity's dated events (vis-timeline over /api/timeline); the form finds the
// entity by the fuzzy search.
(function () {
  const box = document.getElementById("timeline");
  const title = document.getElementById("timeline-title");
  const undated = document.getElementById("undated");
  const form = document.getElementById("timeline-form");
  let timeline = null;

  async function show(entity) {
    const response = await fetch("/api/timeline?entity=" + encodeURIComponent(entity));
    if (!response.ok) { title.textContent = "Nothing found"; return; }
    const data = await response.json();
    title.textContent = "Timeline: " + data.label;
    const items = new vis.DataSet(data.items.map(function (item) {
      return { id: item.id, content: item.content, start: item.start, title: item.type + " " + item.date, path: item.path };
    }));
    if (timeline) timeline.destroy();
    timeline = new vis.Timeline(box, items, { stack: true, zoomMin: 1000 * 60 * 60 * 24 * 7 });
    timeline.on("select", function (props) {
      const item = items.get(props.items[0]);
      if (item) window.location.href = item.path;
    });
    undated.replaceChildren(...data.undated.map(function (item) {
      const li = document.createElement("li");
      const a = document.createElement("a"); a.href = item.path; a.textContent = item.content + " (no date)";
      li.appendChild(a); return li;
    }));
    box.dataset.ready = "1";
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const q = document.getElementById("timeline-q").value;
    const response = await fetch("/api/search?q=" + encodeURIComponent(q));
    const data = await response.json();
    const hit = data.results.find(function (h) { return ["person", "country", "institution", "topic", "place"].includes(h.kind); });
    if (hit) { history.replaceState(null, "", "/timeline?entity=" + encodeURIComponent(hit.path)); show(hit.path); }
    else title.textContent = "Nothing like “" + q + "”";
  });
  if (box.dataset.entity) show(box.dataset.entity);
})();
