// The dashboard is a client of the API like any other: it holds the token only in this tab (sessionStorage),
// takes it from the address' fragment (#token=…, which browsers never send to a server) or from the form, and
// builds every piece of the page with textContent, so nothing a peer controls is ever parsed as HTML.
'use strict';

const TOKEN_KEY = 'turnpike.api.token';

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ 'Authorization': 'Bearer ' + token() },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      show();
    }
    throw new Error('error [' + json.code + ']: ' + json.message);
  }
  return json;
}

function say(text, isError) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
  message.hidden = false;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

function button(row, label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', () => action().catch(e => say(e.message, true)));
  row.insertCell().appendChild(b);
}

async function payDebts(peer) {
  const preview = await api('GET', '/api/pay/' + peer);
  if (!window.confirm(preview.question)) {
    return;
  }
  const paid = await api('POST', '/api/pay/' + peer, {});
  say('Paid ' + paid.amount.formatted + ' to ' + paid.peer + ' (channel ' + paid.channelId + ', nonce ' + paid.nonce
    + '); the payment went through. Paid in total: ' + paid.paidTotal.formatted + ', still owed: '
    + paid.owed.formatted + '.');
  await refresh();
}

async function closeChannel(channel) {
  if (!window.confirm('Close channel ' + channel.channelId + ' to ' + channel.partner + '? It settles at once if the '
    + 'partner signs, else after the challenge period.')) {
    return;
  }
  const closed = await api('POST', '/api/channels/' + channel.channelId + '/close', { force: false });
  say('Channel ' + closed.channelId + ' is ' + closed.state
    + (closed.settleAt ? '; its challenge period ends at ' + closed.settleAt : '') + '.');
  await refresh();
}

function renderStatus(status) {
  const node = document.getElementById('node');
  node.textContent = status.address + ' on chain ' + status.chainId + ', block ' + status.headBlock + ', paying in '
    + status.asset.symbol + ' ';
  if (status.chainStale) {
    const stale = document.createElement('span');
    stale.className = 'stale';
    stale.textContent = '(chain view stale: enforcement paused)';
    node.appendChild(stale);
  }
}

function renderPeers(peers) {
  const body = document.querySelector('#peers tbody');
  body.replaceChildren();
  for (const peer of peers.peers) {
    const row = body.insertRow();
    cell(row, peer.address + (peer.connected ? '' : ' (offline)'), 'address');
    cell(row, peer.role);
    cell(row, peer.tier);
    for (const amount of [peer.used, peer.paid, peer.owed, peer.credit, peer.inFlight]) {
      cell(row, amount.formatted, 'amount');
    }
    cell(row, peer.channelId === null ? '-' : String(peer.channelId));
    if (peer.role === 'provider' && peer.owed.value !== '0') {
      button(row, 'Pay debts', () => payDebts(peer.address));
    } else {
      row.insertCell();
    }
  }
}

function renderChannels(channels) {
  const body = document.querySelector('#channels tbody');
  body.replaceChildren();
  for (const channel of channels.channels) {
    const row = body.insertRow();
    cell(row, String(channel.channelId));
    cell(row, channel.partner, 'address');
    cell(row, channel.state);
    for (const amount of [channel.ownDeposit, channel.partnerDeposit, channel.sent, channel.received,
      channel.spendable]) {
      cell(row, amount.formatted, 'amount');
    }
    cell(row, channel.settleAt || '-');
    if (channel.state === 'OPEN') {
      button(row, 'Close', () => closeChannel(channel));
    } else {
      row.insertCell();
    }
  }
}

async function refresh() {
  if (!token()) {
    return;
  }
  const [status, peers, channels] = await Promise.all([
    api('GET', '/api/status'), api('GET', '/api/peers'), api('GET', '/api/channels')]);
  renderStatus(status);
  renderPeers(peers);
  renderChannels(channels);
}

function show() {
  const connected = token() !== null;
  document.getElementById('login').hidden = connected;
  document.getElementById('main').hidden = !connected;
  if (!connected) {
    document.getElementById('node').textContent = 'Not connected.';
  }
}

function start() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (fragment.has('token')) {
    sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
    // Out of the address bar, history and anything copied from it.
    history.replaceState(null, '', window.location.pathname);
  }
  document.getElementById('login').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    document.getElementById('token').value = '';
    show();
    refresh().catch(e => say(e.message, true));
  });
  document.getElementById('logout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    show();
  });
  document.getElementById('open').addEventListener('submit', event => {
    event.preventDefault();
    const partner = document.getElementById('partner').value.trim();
    const deposit = document.getElementById('deposit').value.trim();
    say('Opening a channel to ' + partner + '; waiting for the chain to confirm it.');
    api('POST', '/api/channels', { partner, deposit })
      .then(channel => say('Opened channel ' + channel.channelId + ' to ' + channel.partner + ' with '
        + channel.ownDeposit.formatted + '.'))
      .then(refresh)
      .catch(e => say(e.message, true));
  });
  show();
  refresh().catch(e => say(e.message, true));
  setInterval(() => refresh().catch(e => say(e.message, true)), 5000);
}

document.addEventListener('DOMContentLoaded', start);
