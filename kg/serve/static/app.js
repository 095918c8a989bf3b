// Search suggestions: the fuzzy search's best matches while typing, in the header's datalist.
(function () {
  const input = document.querySelector("form.search input[name=q]");
  const list = document.getElementById("search-suggestions");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 3) return;
    timer = setTimeout(async function () {
      const response = await fetch("/api/search?q=" + encodeURIComponent(q));
      if (!response.ok) return;
      const data = await response.json();
      list.replaceChildren(...data.results.slice(0, 8).map(function (hit) {
        const option = document.createElement("option");
        option.value = hit.label;
        return option;
      }));
    }, 200);
  });
})();
