namespace Rebooking.Api.StaffConsole;

/// <summary>The console's stylesheet and its only script, served from our own origin (the CSP allows nothing else).</summary>
static class ConsoleAssets
{
    // Contrast of every text colour on its background is at least 4.5:1; focus is always visible.
    public const string Stylesheet = """
        :root { --ink: #1a1a1a; --accent: #0b4f8a; --soft: #eef3f8; --line: #5f6b76; --ok: #1d6b32; --warn: #8a4b00; --bad: #a4161a; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1rem; line-height: 1.5; color: var(--ink); background: #fff; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; z-index: 1; }
        .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        header.top { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid var(--line); background: var(--soft); }
        .brand { font-weight: 700; margin: 0; } .brand a { text-decoration: none; color: var(--ink); }
        nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; }
        nav a, .language { display: inline-block; padding: 0.5rem 0.25rem; min-height: 44px; }
        .account { margin-left: auto; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
        /* One line from 1200 px on (a clerk's full navigation at 1280 px): tighter gaps, the name may break inside its box. */
        @media (min-width: 75em) { header.top { flex-wrap: nowrap; gap: 0.5rem 1rem; font-size: 0.95rem; } header.top nav ul { flex-wrap: nowrap; gap: 0.25rem 0.75rem; }
                                   .account { flex-wrap: nowrap; gap: 0.75rem; } .account .who { max-width: 15rem; } header.top nav a { white-space: nowrap; } }
        .nowrap { white-space: nowrap; }
        .figures dd.as-text { font-size: 1rem; font-weight: 400; }
        td.row-actions { display: flex; flex-wrap: wrap; gap: 0.25rem; }
        .otp code { font-size: 1.5rem; letter-spacing: 0.05em; padding: 0.25rem 0.5rem; background: var(--soft); border-radius: 4px; word-break: break-all; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; line-height: 1.25; } h2 { font-size: 1.25rem; margin-top: 2rem; }
        form.inline { display: inline; margin: 0; }
        button, .button { font: inherit; min-height: 44px; padding: 0.5rem 1rem; border-radius: 6px; cursor: pointer; border: 2px solid var(--accent);
                          background: var(--accent); color: #fff; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: var(--bad); border-color: var(--bad); }
        button.link { background: none; border: none; color: var(--accent); text-decoration: underline; padding: 0.5rem 0.25rem; }
        label { font-weight: 600; display: block; margin-top: 1rem; }
        .choice label, label.choice { font-weight: 400; display: flex; gap: 0.5rem; align-items: center; margin-top: 0.25rem; min-height: 32px; }
        input[type=text], input[type=email], input[type=password], input[type=search], input[type=datetime-local], textarea {
            font: inherit; padding: 0.5rem; border: 1px solid var(--line); border-radius: 4px; width: 100%; max-width: 32rem; }
        input[type=checkbox] { width: 1.25rem; height: 1.25rem; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; margin-top: 1rem; padding: 0.5rem 1rem 1rem; }
        legend { font-weight: 600; padding: 0 0.25rem; }
        .hint { color: #4a545e; font-size: 0.95rem; margin: 0.25rem 0 0; }
        .error { color: var(--bad); font-weight: 600; margin: 0.25rem 0 0; }
        .summary { border: 2px solid var(--bad); padding: 0.5rem 1rem; border-radius: 6px; }
        .notice { border-left: 6px solid var(--warn); padding: 0.5rem 1rem; background: #fff4e5; }
        .actions { display: flex; flex-wrap: wrap; gap: 1rem; margin-top: 1.5rem; align-items: end; }
        .table-wrap { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; width: 100%; margin-top: 0.5rem; }
        th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid #c5cbd1; vertical-align: top; }
        th { background: var(--soft); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 0.5rem; margin: 0.5rem 0; padding: 0; }
        .figures div { background: var(--soft); border-radius: 6px; padding: 0.5rem 0.75rem; }
        .figures dt { font-size: 0.9rem; } .figures dd { margin: 0; font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        .bar { height: 1rem; background: #d9dee3; border-radius: 4px; overflow: hidden; display: flex; min-width: 6rem; }
        .bar span { display: block; height: 100%; }
        .bar .done { background: var(--ok); } .bar .failed { background: var(--bad); }
        .status { display: inline-block; padding: 0 0.5rem; border-radius: 4px; border: 1px solid currentColor; font-size: 0.9rem; }
        .status-processing, .status-accepted { color: var(--warn); } .status-active { color: var(--bad); } .status-resolved { color: var(--ok); }
        .chart { max-width: 40rem; width: 100%; height: auto; border: 1px solid #c5cbd1; border-radius: 6px; }
        .legend { display: flex; gap: 1rem; flex-wrap: wrap; list-style: none; padding: 0; margin: 0.25rem 0; }
        .swatch { display: inline-block; width: 1.5rem; height: 0.3rem; vertical-align: middle; margin-right: 0.25rem; }
        .swatch.affected { background: #0b4f8a; } .swatch.notified { background: #1d6b32; } .swatch.rebooked { background: #8a4b00; }
        .signin { max-width: 28rem; margin: 2rem auto; }
        .offers { list-style: none; padding: 0; display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
        .offers button { width: 100%; text-align: left; }
        @media print { header.top, .actions, .noprint, form { display: none !important; } main { max-width: none; padding: 0; } a { color: var(--ink); text-decoration: none; }
                       table { font-size: 10pt; } th, td { border: 1px solid #000; } }
        """;

    /// <summary>
    /// Progressive enhancement only: an element with <c>data-live</c> is replaced every few seconds by a fresh
    /// rendering of itself from that URL; <c>data-print</c> buttons open the print dialog. Without script the
    /// pages are complete and have a reload link.
    /// </summary>
    public const string Script = """
        "use strict";
        (function () {
          function schedule(el) {
            var ms = parseInt(el.getAttribute("data-interval") || "2000", 10);
            setTimeout(function () { refresh(el); }, ms);
          }
          function refresh(el) {
            fetch(el.getAttribute("data-live"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
              .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
              .then(function (html) {
                var t = document.createElement("template");
                t.innerHTML = html.trim();
                var fresh = t.content.firstElementChild;
                if (fresh) { el.replaceWith(fresh); el = fresh; }
                schedule(el);
              })
              .catch(function () { schedule(el); });
          }
          document.querySelectorAll("[data-live]").forEach(schedule);
          document.querySelectorAll("[data-print]").forEach(function (b) {
            b.hidden = false;
            b.addEventListener("click", function () { window.print(); });
          });
        })();
        """;
}
