// The proposal form's auto-fill: search Wikidata and HAL by name without leaving the page;
// each hit links to the form pre-filled on the server (?source=…&id=…). Without JavaScript the
// same form opens a page of the same links.
(function () {
  "use strict";
  var form = document.getElementById("enrichment-autofill");
  if (!form || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var results = document.getElementById("enrichment-autofill-results");

  function show(items) {
    results.textContent = "";
    if (!items.length) {
      var empty = document.createElement("p");
      empty.textContent = form.dataset.empty;
      results.appendChild(empty);
      return;
    }
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.propose_url;
      link.textContent = item.label;
      link.title = form.dataset.propose;
      entry.appendChild(link);
      if (item.description) {
        entry.appendChild(document.createTextNode(" — " + item.description));
      }
      list.appendChild(entry);
    });
    results.appendChild(list);
  }

  form.addEventListener("submit", function (event) {
    var text = input.value.trim();
    if (text.length < 2) {
      return;
    }
    event.preventDefault();
    var url = form.action + "?format=json&q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.detail || form.dataset.failed);
          }
          return body.results;
        });
      })
      .then(show)
      .catch(function (error) {
        results.textContent = error.message || form.dataset.failed;
      });
  });
})();
