// Subscribes to /live/events and prepends what arrives; text is inserted as text, never as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("live-status");
  const feed = document.getElementById("feed");
  const alerts = document.getElementById("alerts");
  const source = new EventSource("/live/events");
  const item = (className, strong, rest, detail) => {
    const li = document.createElement("li");
    if (className) li.className = className;
    const b = document.createElement("strong");
    b.textContent = strong;
    li.append(b, " " + rest);
    const div = document.createElement("div");
    div.textContent = detail;
    li.append(div);
    return li;
  };
  const trim = (list) => { while (list.children.length > 100) list.lastElementChild.remove(); };
  source.onopen = () => { status.textContent = "Connected: new items appear at the top."; };
  source.onerror = () => { status.textContent = "Reconnecting…"; };
  source.addEventListener("interaction", (event) => {
    const d = JSON.parse(event.data);
    const extra = [d.sentiment, d.category, d.where].filter(Boolean).join(" · ");
    feed.prepend(item("", d.at, `${d.channel} ${d.kind}${extra ? " · " + extra : ""}`, d.text));
    trim(feed);
  });
  source.addEventListener("alert", (event) => {
    const d = JSON.parse(event.data);
    const none = document.getElementById("no-alerts");
    if (none) none.remove();
    alerts.prepend(item("alert", d.severity, d.title, `where: ${d.where} · ${d.count} signal(s) · ${d.status} · last ${d.at}`));
    trim(alerts);
  });
});
