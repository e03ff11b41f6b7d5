// The live page: buttons ask the demo endpoints, and the table shows what the cache decided.
// cache: 'no-store' keeps the browser's own cache out of the way, so every press reaches the server.
async function ask(button) {
    const init = { cache: 'no-store', headers: {} };
    if (button.dataset.language) init.headers['Accept-Language'] = button.dataset.language;
    if (button.dataset.body) {
        init.method = 'POST';
        init.headers['Content-Type'] = 'text/plain';
        init.body = button.dataset.body;
    }
    const started = performance.now();
    const response = await fetch(button.dataset.path, init);
    const text = await response.text();
    const millis = Math.round(performance.now() - started);
    document.getElementById('last').textContent =
        `${button.dataset.path}: ${response.status}, X-Hishel-From-Cache: ${response.headers.get('X-Hishel-From-Cache')}, ` +
        `${millis} ms — ${text}`;
    refresh();
}

async function purge() {
    const response = await fetch('/actuator/hishel?all=true', { method: 'DELETE' });
    const result = await response.json();
    document.getElementById('last').textContent = `Purged ${result.purged} entries.`;
    refresh();
}

function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
}

async function refresh() {
    const response = await fetch('/demo/decisions', { cache: 'no-store' });
    const data = await response.json();
    for (const counter of ['hits', 'misses', 'revalidations', 'stored']) {
        document.getElementById(counter).textContent = data.statistics[counter];
    }
    document.getElementById('policy').textContent = data.policy;
    const body = document.getElementById('decisions');
    body.replaceChildren();
    for (const decision of data.decisions) {
        const row = document.createElement('tr');
        if (decision.fromCache) row.className = 'hit';
        cell(row, decision.time.substring(11, 19));
        cell(row, `${decision.method} ${decision.path}`);
        cell(row, decision.status);
        cell(row, decision.fromCache ? 'yes' : 'no');
        cell(row, decision.reason);
        cell(row, decision.millis);
        cell(row, decision.cacheStatus);
        body.appendChild(row);
    }
}

document.querySelectorAll('button[data-path]').forEach(button => button.addEventListener('click', () => ask(button)));
document.getElementById('purge').addEventListener('click', purge);
refresh();
setInterval(refresh, 1000);
