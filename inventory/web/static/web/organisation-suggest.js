/* Suggests organisations as an agent types one's name: the field's <datalist> is refilled from
   the site's suggestion list. Without JavaScript, the server offers the nearest organisations
   after the form is sent, so this only saves a step. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-organisation-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-organisation-suggest");
    if (!list || !url || !window.fetch) {
      return;
    }
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2 || query === lastQuery) {
          return;
        }
        lastQuery = query;
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (query !== input.value.trim()) {
              return;
            }
            list.replaceChildren.apply(
              list,
              data.results.map(function (organisation) {
                var option = document.createElement("option");
                option.value = organisation.name;
                option.textContent = organisation.acronym || "";
                return option;
              })
            );
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
