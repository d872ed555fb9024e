// Staff pages: live counts on the day planner, and print buttons. Works without it, too.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var url = document.body.dataset.liveUrl;
  if (!url || !window.fetch) { return; }
  var status = document.querySelector("[data-live-status]");

  function update() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        data.tasks.forEach(function (task) {
          var row = document.querySelector('[data-task-id="' + task.id + '"]');
          if (!row) { return; }
          var over = row.querySelector("[data-over]");
          if (over) { over.hidden = !task.over; }
          ["active", "free", "capacity", "walk_ins", "over"].forEach(function (name) {
            var cell = row.querySelector('[data-field="' + name + '"]');
            if (cell && cell.textContent !== String(task[name])) {
              cell.textContent = String(task[name]);
              cell.classList.add("changed");
            }
          });
        });
        if (status) { status.classList.remove("is-stale"); }
      })
      .catch(function () { if (status) { status.classList.add("is-stale"); } });
  }
  window.setInterval(update, 5000);
})();
