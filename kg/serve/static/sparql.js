// YASGUI on this server's endpoint, the saved queries (those without parameters) as examples.
(function () {
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const first = examples.find(function (q) { return q.name === "meetings"; }) || examples[0];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: window.location.origin + "/sparql", method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: window.location.origin + "/sparql" }]; } },
    persistenceId: null,
    yasqe: { value: first ? first.text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" },
  });
  window.kgYasgui = yasgui;
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      const query = examples.find(function (q) { return q.name === button.dataset.query; });
      const tab = yasgui.getTab();
      tab.setQuery(query.text);
      tab.query();
    });
  });
})();
