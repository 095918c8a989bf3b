// Who met whom: vis-network over /api/network; a click on an edge lists the events it stands for.
(function () {
  const form = document.getElementById("filters");
  const panel = document.getElementById("edge-events");
  const summary = document.getElementById("summary");
  const container = document.getElementById("network");
  let network = null, edges = {}, filled = false;

  function fillSelect(name, options) {
    const select = form.elements[name];
    options.forEach(function (o) {
      const option = document.createElement("option");
      option.value = o[0]; option.textContent = o[1];
      select.appendChild(option);
    });
  }

  function showEdge(edge) {
    const list = edge.events.map(function (e) {
      return '<li><a href="' + e.path + '">' + escapeHtml(e.title) + "</a></li>";
    }).join("");
    panel.innerHTML = "<h3>" + escapeHtml(nodes[edge.from] + " — " + nodes[edge.to]) + "</h3><ul class=\"edge-events\">" + list + "</ul>";
  }

  function escapeHtml(text) {
    const div = document.createElement("div"); div.textContent = text; return div.innerHTML;
  }

  let nodes = {}, paths = {};
  async function load() {
    const params = new URLSearchParams(new FormData(form));
    const response = await fetch("/api/network?" + params.toString());
    const data = await response.json();
    if (!filled) {
      fillSelect("country", data.countries);
      fillSelect("type", data.types.map(function (t) { return [t, t]; }));
      filled = true;
    }
    nodes = {}; paths = {}; edges = {};
    data.nodes.forEach(function (n) { nodes[n.id] = n.label; paths[n.id] = n.path; });
    data.edges.forEach(function (e) { edges[e.id] = e; });
    summary.textContent = data.nodes.length + " persons, " + data.edges.length + " pairs";
    const visNodes = data.nodes.map(function (n) { return { id: n.id, label: n.label, value: n.degree, shape: "dot" }; });
    const visEdges = data.edges.map(function (e) {
      return { id: e.id, from: e.from, to: e.to, value: e.value, title: e.events.length + " event(s)" };
    });
    const options = {
      nodes: { scaling: { min: 8, max: 30 }, font: { size: 14 }, color: { background: "#5b8fd0", border: "#17324d" } },
      edges: { scaling: { min: 1, max: 8 }, color: { color: "#9aa9bd", highlight: "#d0542b" }, smooth: false },
      physics: { stabilization: { iterations: 200 }, barnesHut: { gravitationalConstant: -6000, springLength: 140 } },
      interaction: { hover: true, selectConnectedEdges: false, hoverConnectedEdges: false },
    };
    if (network) network.destroy();
    network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, options);
    network.on("click", function (params) {
      if (params.nodes.length) { window.location.href = paths[params.nodes[0]]; return; }
      if (params.edges.length) showEdge(edges[params.edges[0]]);
    });
    network.once("stabilizationIterationsDone", function () { container.dataset.ready = "1"; });
    window.kgNetwork = { network: network, edges: edges, showEdge: showEdge };
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
})();
