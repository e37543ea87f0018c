// When an agent starts a reply, tell the server and show who else is replying (no duplicate responses).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("reply-form");
  if (!form) return;
  const box = document.getElementById("reply-body");
  const banner = document.getElementById("replying-warning");
  let told = false;
  box.addEventListener("focus", async () => {
    if (told) return;
    told = true;
    const token = form.querySelector("input[name=csrf_token]").value;
    const response = await fetch(`/cases/${form.dataset.case}/replying`, {
      method: "POST", headers: { "X-CSRF-Token": token }, credentials: "same-origin",
    });
    if (!response.ok) return;
    const data = await response.json();
    if (data.others.length) {
      banner.textContent = data.others.map((o) => `${o.who} is already replying (since ${o.since.slice(11, 16)}).`).join(" ");
      banner.hidden = false;
    }
  });
});
