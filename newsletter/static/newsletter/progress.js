// Live progress of a newsletter send: polls the JSON view and updates the bar.
(function () {
  const box = document.querySelector("[data-send-progress]");
  if (!box) return;
  const url = box.dataset.sendProgress;
  const update = () =>
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        box.querySelector("progress").value = data.percent;
        for (const key of ["sent", "queued", "failed", "bounced", "suppressed", "status_label"]) {
          const cell = box.querySelector(`[data-field="${key}"]`);
          if (cell) cell.textContent = data[key];
        }
        if (data.status === "sending" || data.status === "scheduled") setTimeout(update, 2000);
      })
      .catch(() => setTimeout(update, 5000));
  setTimeout(update, 2000);
})();
