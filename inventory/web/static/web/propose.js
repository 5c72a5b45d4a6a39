// The proposal form's first step: entries of the catalog that the name being typed looks like,
// listed under the field (the form works the same without it: the next step lists them too).
(function () {
  "use strict";
  var input = document.getElementById("propose-name");
  var box = document.getElementById("name-suggestions");
  if (!input || !box || !window.fetch) {
    return;
  }
  var timer = null;
  var latest = 0;

  function render(results) {
    box.textContent = "";
    if (!results.length) {
      return;
    }
    var title = document.createElement("p");
    title.className = "fr-text--sm fr-mb-1v";
    title.textContent = box.getAttribute("data-title");
    var list = document.createElement("ul");
    list.className = "fr-text--sm";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.name;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + result.status + ")"));
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
  }

  function lookUp() {
    var name = input.value.trim();
    var request = ++latest;
    if (name.length < 2) {
      render([]);
      return;
    }
    var url = input.getAttribute("data-suggestions-url") + "?name=" + encodeURIComponent(name);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (request === latest) {
          render(data.results || []);
        }
      })
      .catch(function () { render([]); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 250);
  });
})();
