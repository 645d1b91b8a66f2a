// jtorr's web page: the torrent list kept live by the daemon's event stream, rows updated in place by id.
'use strict';

const API = '/api/v1';
/** id -> {row, cells, torrent}: rows are created once and then only their changed cells are touched. */
const rows = new Map();
let selected = null;
let events = null;
/** The torrent whose files the detail view shows, and whether the user ticked boxes not saved yet. */
let filesOf = null;
let filesDirty = false;
let detailTimer = null;
let detailLoadedAt = 0;

const $ = (id) => document.getElementById(id);

// ---- formatting ----
function bytes(n) {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}
const rate = (n) => (n > 0 ? bytes(n) + '/s' : '');
function eta(seconds) {
  if (seconds == null) return '';
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min';
  if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  return Math.floor(seconds / 86400) + ' d';
}
const percent = (p) => (Math.floor(p * 1000) / 10).toFixed(1) + '%';

// ---- API calls ----
class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** Calls the API; answers the parsed JSON (or null), throws ApiError with the daemon's message. */
async function api(method, path, body) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, init);
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch (e) { json = null; }
  }
  if (!response.ok) {
    if (response.status === 401 && path !== '/login') showLogin();
    const message = json && json.error ? json.error.message : response.status + ' ' + response.statusText;
    throw new ApiError(response.status, message);
  }
  return json;
}

function say(text, ok) {
  const m = $('message');
  m.textContent = text;
  m.classList.toggle('ok', !!ok);
  m.hidden = !text;
}

const report = (e) => { if (!(e instanceof ApiError && e.status === 401)) say(e.message); };

// ---- the torrent list ----
const COLUMNS = ['name', 'state', 'progress', 'size', 'down', 'up', 'peers', 'eta', 'actions'];

function createRow(t) {
  const tr = document.createElement('tr');
  tr.dataset.id = t.id;
  const cells = {};
  for (const c of COLUMNS) {
    const td = document.createElement('td');
    td.className = c;
    tr.appendChild(td);
    cells[c] = td;
  }
  const bar = document.createElement('span');
  bar.className = 'bar';
  const fill = document.createElement('span');
  bar.appendChild(fill);
  const pct = document.createElement('span');
  pct.className = 'percent';
  cells.progress.append(bar, pct);
  cells.fill = fill;
  cells.percent = pct;
  const toggle = button('pause', 'Pause');
  cells.toggle = toggle;
  cells.actions.append(toggle, button('recheck', 'Recheck'), button('remove', 'Remove'));
  return { row: tr, cells, torrent: {} };
}

function button(action, label) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.action = action;
  b.textContent = label;
  return b;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Writes the fields of {@code t} that differ from what the row shows. */
function updateRow(entry, t) {
  const old = entry.torrent;
  const c = entry.cells;
  if (old.name !== t.name) setText(c.name, t.name);
  if (old.state !== t.state) {
    setText(c.state, t.error ? t.state + ': ' + t.error : t.state.replace(/_/g, ' '));
    entry.row.className = entry.row.className.replace(/\bstate-\S+/g, '').trim();
    entry.row.classList.add('state-' + t.state);
    const paused = t.state === 'paused' || t.state === 'stopped';
    c.toggle.dataset.action = paused ? 'resume' : 'pause';
    c.toggle.textContent = paused ? 'Resume' : 'Pause';
  } else if (old.error !== t.error && t.error) {
    setText(c.state, t.state + ': ' + t.error);
  }
  if (old.progress !== t.progress) {
    c.fill.style.width = (t.progress * 100).toFixed(1) + '%';
    setText(c.percent, percent(t.progress));
  }
  setText(c.size, t.size_bytes === 0 && t.state === 'waiting_for_metadata' ? '' : bytes(t.size_bytes));
  if (old.download_rate !== t.download_rate) setText(c.down, rate(t.download_rate));
  if (old.upload_rate !== t.upload_rate) setText(c.up, rate(t.upload_rate));
  if (old.peers !== t.peers) setText(c.peers, String(t.peers));
  setText(c.eta, t.progress >= 1 ? '' : eta(t.eta_seconds)); // a finished torrent has nothing left to wait for
  entry.torrent = t;
}

/** Applies one `changes` event: rows added, updated in place or removed; everything replaced when full. */
function applyChanges(changes) {
  const body = $('torrent-rows');
  const fresh = document.createDocumentFragment();
  const seen = changes.full ? new Set() : null;
  for (const t of changes.changed) {
    if (seen) seen.add(t.id);
    let entry = rows.get(t.id);
    if (!entry) {
      entry = createRow(t);
      rows.set(t.id, entry);
      fresh.appendChild(entry.row);
    }
    updateRow(entry, t);
    if (t.id === selected) {
      setText($('detail-name'), t.name);
      refreshDetailSoon();
    }
  }
  body.appendChild(fresh);
  const gone = seen ? [...rows.keys()].filter((id) => !seen.has(id)) : changes.removed;
  for (const id of gone) {
    const entry = rows.get(id);
    if (entry) {
      entry.row.remove();
      rows.delete(id);
    }
    if (id === selected) select(null);
  }
  $('empty').hidden = rows.size > 0;
  setText($('totals'), rows.size + (rows.size === 1 ? ' torrent' : ' torrents'));
}

function connect() {
  if (events) events.close();
  events = new EventSource(API + '/events');
  const status = $('connection');
  events.addEventListener('changes', (e) => applyChanges(JSON.parse(e.data)));
  events.onopen = () => { status.textContent = 'live'; status.className = 'connection live'; };
  events.onerror = () => {
    status.textContent = 'reconnecting…';
    status.className = 'connection lost';
    // an event stream hides its status: ask the API whether the reason is a missing login
    api('GET', '/session').catch(() => {});
  };
}

// ---- actions ----
async function act(id, action) {
  const entry = rows.get(id);
  if (action === 'remove') {
    askRemove(id, entry ? entry.torrent.name : id);
    return;
  }
  try {
    // the answer may be a snapshot from before the engine acted (and older than an event already shown):
    // the row changes when the event stream reports it
    await api('POST', '/torrents/' + encodeURIComponent(id) + '/' + action);
    say('');
  } catch (e) {
    report(e);
  }
}

let removing = null;
function askRemove(id, name) {
  removing = id;
  setText($('remove-name'), name);
  $('remove-delete-data').checked = false;
  $('remove-dialog').returnValue = ''; // Escape closes it without setting one
  $('remove-dialog').showModal();
}

async function removeConfirmed() {
  const id = removing;
  removing = null;
  if (!id) return;
  const deleteData = $('remove-delete-data').checked;
  try {
    await api('DELETE', '/torrents/' + encodeURIComponent(id) + (deleteData ? '?delete_data=true' : ''));
    const entry = rows.get(id);
    if (entry) {
      entry.row.remove();
      rows.delete(id);
    }
    if (id === selected) select(null);
    $('empty').hidden = rows.size > 0;
    say('');
  } catch (e) {
    report(e);
  }
}

async function add(event) {
  event.preventDefault();
  const magnet = $('add-magnet').value.trim();
  const file = $('add-file').files[0];
  const paused = $('add-paused').checked;
  if (!magnet && !file) {
    say('Give a magnet link or choose a .torrent file.');
    return;
  }
  const button = $('add-button');
  button.disabled = true;
  try {
    let added;
    if (file) {
      const form = new FormData();
      form.append('torrent', file, file.name);
      if (paused) form.append('paused', 'true');
      added = await api('POST', '/torrents', form);
    } else {
      added = await api('POST', '/torrents', { magnet, paused });
    }
    $('add-form').reset();
    say('Added ' + added.name, true);
  } catch (e) {
    report(e);
  } finally {
    button.disabled = false;
  }
}

// ---- the detail view ----
function select(id) {
  if (selected && rows.has(selected)) rows.get(selected).row.classList.remove('selected');
  selected = id;
  filesOf = null;
  filesDirty = false;
  $('detail').hidden = !id;
  if (!id) return;
  const entry = rows.get(id);
  entry.row.classList.add('selected');
  setText($('detail-name'), entry.torrent.name);
  loadDetail();
}

function cell(tr, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  tr.appendChild(td);
  return td;
}

function fill(tbody, items, build) {
  const fragment = document.createDocumentFragment();
  for (const item of items) {
    const tr = document.createElement('tr');
    build(tr, item);
    fragment.appendChild(tr);
  }
  tbody.replaceChildren(fragment);
}

/** Reloads the detail view at most every 2 s while its torrent changes. */
function refreshDetailSoon() {
  if (detailTimer) return;
  const wait = Math.max(0, 2000 - (Date.now() - detailLoadedAt));
  detailTimer = setTimeout(() => {
    detailTimer = null;
    if (selected) loadDetail();
  }, wait);
}

/** Fills the files table; for the torrent already shown, updates it in place and keeps unsaved ticks. */
function showFiles(id, files) {
  const body = $('file-rows');
  if (filesOf === id && body.rows.length === files.length) {
    files.forEach((f, i) => {
      const tr = body.rows[i];
      if (!filesDirty) tr.querySelector('input').checked = f.wanted;
      setText(tr.cells[3], done(f));
    });
    return;
  }
  filesOf = id;
  filesDirty = false;
  fill(body, files, (tr, f) => {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = f.wanted;
    box.dataset.index = f.index;
    tr.appendChild(document.createElement('td')).appendChild(box);
    cell(tr, f.path, 'name');
    cell(tr, bytes(f.length));
    cell(tr, done(f));
  });
}

const done = (f) => (f.length === 0 ? '100.0%' : percent(f.verified_bytes / f.length));

async function loadDetail() {
  const id = selected;
  detailLoadedAt = Date.now();
  const base = '/torrents/' + encodeURIComponent(id);
  try {
    const [files, peers, trackers] = await Promise.all([
      api('GET', base + '/files'), api('GET', base + '/peers'), api('GET', base + '/trackers')]);
    if (id !== selected) return;
    showFiles(id, files.files);
    fill($('peer-rows'), peers.peers, (tr, p) => {
      cell(tr, p.address, 'name');
      cell(tr, p.client);
      cell(tr, p.encryption);
      cell(tr, bytes(p.downloaded));
      cell(tr, bytes(p.uploaded));
    });
    fill($('tracker-rows'), trackers.trackers, (tr, t) => {
      cell(tr, String(t.tier));
      cell(tr, t.url, 'name');
    });
  } catch (e) {
    report(e);
  }
}

async function saveFiles() {
  const wanted = [...$('file-rows').querySelectorAll('input[type=checkbox]')]
    .filter((b) => b.checked).map((b) => Number(b.dataset.index));
  if (wanted.length === 0) {
    say('Choose at least one file.');
    return;
  }
  try {
    await api('PATCH', '/torrents/' + encodeURIComponent(selected), { wanted_files: wanted });
    filesDirty = false;
    say('File selection saved.', true);
    loadDetail();
  } catch (e) {
    report(e);
  }
}

function showTab(name) {
  for (const b of document.querySelectorAll('.tabs button[data-tab]')) {
    b.classList.toggle('active', b.dataset.tab === name);
  }
  for (const t of ['files', 'peers', 'trackers']) $('tab-' + t).hidden = t !== name;
}

// ---- login ----
function showLogin() {
  if (events) events.close();
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-password').focus();
}

async function login(event) {
  event.preventDefault();
  try {
    await api('POST', '/login', { password: $('login-password').value });
    location.reload();
  } catch (e) {
    $('login-error').textContent = e.message;
    $('login-error').hidden = false;
  }
}

// ---- start ----
async function start() {
  $('add-form').addEventListener('submit', add);
  $('login-form').addEventListener('submit', login);
  $('torrent-rows').addEventListener('click', (e) => {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const action = e.target.closest('button[data-action]');
    if (action) act(tr.dataset.id, action.dataset.action);
    else if (tr.dataset.id !== selected) select(tr.dataset.id);
  });
  $('remove-dialog').addEventListener('close', () => {
    if ($('remove-dialog').returnValue === 'remove') removeConfirmed();
    else removing = null;
  });
  $('files-save').addEventListener('click', saveFiles);
  $('file-rows').addEventListener('change', () => { filesDirty = true; });
  $('detail-refresh').addEventListener('click', loadDetail);
  for (const b of document.querySelectorAll('.tabs button[data-tab]')) {
    b.addEventListener('click', () => showTab(b.dataset.tab));
  }
  try {
    await api('GET', '/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    say(e.message);
  }
  $('app').hidden = false;
  connect();
}

document.addEventListener('DOMContentLoaded', start);
