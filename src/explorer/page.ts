// The explorer's page: one small HTML document with its CSS inline (one request to first paint) and the page's
// modules (compiled from src/explorer/web by `npm run build`) loaded from this same server. Nothing external.

const CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #5b6470; --line: #d6dae0; --accent: #0b63c5; --ok: #137333; --bad: #b3261e; --code: #f3f5f8; --fault: #fff4e5; }
@media (prefers-color-scheme: dark) { :root { --bg: #15181c; --fg: #e6e8eb; --muted: #9aa4b1; --line: #2f353d; --accent: #6fb1ff; --ok: #6fd08c; --bad: #ff8a80; --code: #1e2329; --fault: #3a2d16; } }
* { box-sizing: border-box; } [hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .25rem .5rem; z-index: 2; }
header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header h1 { font-size: 1.1rem; margin: 0; } header .conn { margin-left: auto; display: flex; gap: .5rem; align-items: center; color: var(--muted); }
.layout { display: grid; grid-template-columns: 16rem 1fr; min-height: calc(100vh - 3rem); }
nav { border-right: 1px solid var(--line); padding: .75rem; overflow: auto; }
nav input[type=search] { width: 100%; padding: .4rem; }
nav h2 { font-size: .8rem; font-family: ui-monospace, monospace; color: var(--muted); margin: 1rem 0 .25rem; }
nav ul { list-style: none; margin: 0; padding: 0; } nav li a { display: block; padding: .15rem .4rem; border-radius: 4px; text-decoration: none; }
nav a[aria-current=page] { background: var(--accent); color: var(--bg); }
main { padding: 1rem 1.5rem; min-width: 0; }
h2 small { color: var(--muted); font-weight: normal; font-size: .8em; }
.columns { display: grid; grid-template-columns: minmax(18rem, 1fr) minmax(18rem, 1fr); gap: 1.5rem; align-items: start; }
@media (max-width: 900px) { .layout, .columns { grid-template-columns: 1fr; } nav { border-right: 0; border-bottom: 1px solid var(--line); } }
details.group { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .75rem; padding: .4rem .75rem; } details.group > summary { font-weight: 600; cursor: pointer; }
.side { position: sticky; top: 0; max-height: 100vh; overflow: auto; } .side h3 { margin: .4rem 0; }
.field { display: grid; grid-template-columns: 1fr; gap: .15rem; margin: .4rem 0; }
.field.switch { grid-template-columns: auto 1fr; align-items: center; } .field.switch .help, .field.switch .msg { grid-column: 1 / -1; }
.field input:not([type=checkbox]), .field select, .field textarea, .flow-form select, .flow-form textarea { width: 100%; padding: .35rem .4rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
.field textarea, .flow-form textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
input[type=checkbox][role=switch] { width: 2.2rem; height: 1.2rem; accent-color: var(--accent); }
[aria-invalid=true] { border-color: var(--bad) !important; outline: 1px solid var(--bad); }
.help { color: var(--muted); font-size: .82rem; } .constraints { font-family: ui-monospace, monospace; font-size: .75rem; }
.msg, .problems { color: var(--bad); font-size: .85rem; } .msg:empty { display: none; }
.req { color: var(--bad); text-decoration: none; margin-left: .15rem; }
button { font: inherit; padding: .35rem .8rem; border-radius: 4px; border: 1px solid var(--line); background: var(--code); color: var(--fg); cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--bg); } button:disabled { opacity: .5; cursor: not-allowed; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
pre, code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .83rem; }
pre { background: var(--code); padding: .5rem; border-radius: 4px; overflow: auto; max-height: 24rem; white-space: pre-wrap; word-break: break-all; }
.request-line code { word-break: break-all; } .method { font-weight: 700; font-family: ui-monospace, monospace; }
.status.ok { color: var(--ok); font-weight: 600; } .status.bad { color: var(--bad); font-weight: 600; }
.error { border-left: 3px solid var(--bad); padding: .4rem .6rem; background: var(--code); margin: .5rem 0; }
.muted { color: var(--muted); }
.table-wrap { overflow: auto; max-height: 32rem; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; font-size: .83rem; } th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; white-space: nowrap; max-width: 24rem; overflow: hidden; text-overflow: ellipsis; }
table.records thead th { position: sticky; top: 0; background: var(--code); } caption { text-align: left; padding: .3rem .5rem; color: var(--muted); }
.headers th { font-family: ui-monospace, monospace; font-weight: normal; color: var(--muted); }
progress { width: 100%; }
.samples details, .response details { margin: .4rem 0; } .sample pre { margin: .25rem 0; }
.flow-form { display: grid; grid-template-columns: 8rem 1fr; gap: .4rem .75rem; max-width: 48rem; align-items: start; }
ol.steps { padding-left: 1.5rem; } .step { border-left: 3px solid var(--line); padding: .25rem .6rem; margin: .3rem 0; }
.step.outcome-error { border-left-color: var(--bad); } .step.fault-path { border-left-color: #e8a33d; background: var(--fault); }
.step-head { display: flex; flex-wrap: wrap; gap: .6rem; align-items: baseline; } .step-time, .step-where { color: var(--muted); font-size: .8rem; }
.call.ok { color: var(--ok); } .call.bad { color: var(--bad); } .badge { font-size: .75rem; border: 1px solid currentColor; border-radius: 999px; padding: 0 .4rem; }
.badge.fault { color: #b26a00; } .step-error { color: var(--bad); margin: .2rem 0; } .step-props { margin: .2rem 0; font-size: .85rem; }
.before-after { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
dialog { max-width: 44rem; width: 95vw; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--fg); } dialog::backdrop { background: rgb(0 0 0 / .35); }
`;

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>snconnect explorer</title>
<style>${CSS}</style>
<script type="module" src="web/app.js"></script>
<link rel="preload" href="api/catalogue" as="fetch" crossorigin="anonymous">
__PRELOADS__
</head>
<body>
<a class="skip" href="#view">Skip to content</a>
<header>
  <h1>snconnect explorer · <span id="connector">…</span></h1>
  <div class="conn"><span>Connection:</span> <strong id="connection-label">…</strong> <button type="button" id="connection-button">Change</button></div>
</header>
<div class="layout">
  <nav aria-label="Operations">
    <label for="search" class="muted">Find an operation</label>
    <input id="search" type="search" placeholder="name or words of its description" autocomplete="off">
    <div id="operations"></div>
  </nav>
  <main id="view" tabindex="-1"><p class="muted">Loading…</p></main>
</div>
<dialog id="connection-dialog" aria-label="Connection"><div id="connection-form"></div></dialog>
</body>
</html>
`;

/** The page, asking for every module of the page at once (no import waterfall) and for the catalogue in parallel. */
export function explorerPage(modules: readonly string[]): string {
  return HTML.replace('__PRELOADS__', modules.map((m) => `<link rel="modulepreload" href="web/${m}">`).join('\n'));
}
