// The page's behaviour: list, add, tick and delete items through the JSON API.
const list = document.getElementById('items');
const empty = document.getElementById('empty');
const message = document.getElementById('message');
const form = document.getElementById('add');
const nameInput = document.getElementById('name');

async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return undefined;
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || `${res.status} ${res.statusText}`);
  return data;
}

function show(error) {
  message.textContent = error ? error.message : '';
}

function render(items) {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = item.completed;
      box.setAttribute('aria-label', `Done: ${item.name}`);
      box.addEventListener('change', () => api('PUT', `/api/items/${item.id}`, { completed: box.checked }).then(refresh, show));
      const label = document.createElement('span');
      label.textContent = item.name;
      if (item.completed) label.className = 'done';
      const remove = document.createElement('button');
      remove.textContent = 'Delete';
      remove.setAttribute('aria-label', `Delete ${item.name}`);
      remove.addEventListener('click', () => api('DELETE', `/api/items/${item.id}`).then(refresh, show));
      li.append(box, label, remove);
      return li;
    }),
  );
  empty.hidden = items.length > 0;
}

async function refresh() {
  try {
    render(await api('GET', '/api/items'));
    show();
  } catch (e) {
    show(e);
  }
  const health = await fetch('/health').then((r) => r.json(), () => undefined);
  const db = health && health.db;
  document.getElementById('database').textContent = db
    ? `Stored in ${db.type === 'mysql' ? `MySQL at ${db.host}` : `SQLite at ${db.file}`}${db.ok ? '' : ' (not answering)'}`
    : '';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', '/api/items', { name: nameInput.value });
    nameInput.value = '';
    await refresh();
  } catch (e) {
    show(e);
  }
});

refresh();
