// The dashboard is a client of the API like any other (docs/api.md, docs/dashboard.md). It holds the token only in
// this tab (sessionStorage), taken from the address' fragment (#token=…, which browsers never send to a server) or
// from the form; it builds every piece of the page with textContent, so nothing a peer controls is parsed as HTML;
// and it computes with amounts only as BigInt from the API's exact decimal strings, never as floating point.
'use strict';

const TOKEN_KEY = 'turnpike.api.token';
const REFRESH_MS = 5000;
const SUCCESS_SHOWN_MS = 20000;
const GB = 1000000000n;
/** Network fees are paid in ether, whatever the node's asset. */
const ETHER = { symbol: 'ETH', token: '0x0000000000000000000000000000000000000000', decimals: 18 };

/** What the last refresh read; each part null until read, and kept when a later read fails. */
const view = { status: null, peers: null, channels: null, wallet: null, services: null, refusals: null,
  transactions: null };
/** When the head block last moved, as this page saw it. */
const head = { block: null, seenAt: null };
/** What each part last rendered, to skip rendering the same again. */
const rendered = new Map();
let refreshTimer = null;
let refreshing = null;

// ------------------------------------------------------------------ the API

/** A refusal or failure, with the API's stable code and a sentence to show. */
class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: Object.assign({ 'Authorization': 'Bearer ' + token() },
        body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError('node_unreachable', 'the node does not answer at ' + window.location.origin
      + '; is it running? The page tries again by itself', 0);
  }
  if (response.status === 401) {
    forgetToken('The node did not accept that token. Copy it again from the file api.token in the node\'s data '
      + 'directory.');
    throw new ApiError('unauthenticated', 'the node did not accept the token', 401);
  }
  const text = await response.text();
  if (path === '/metrics') {
    if (!response.ok) {
      throw new ApiError('bad_response', 'the node answered /metrics with HTTP ' + response.status, response.status);
    }
    return text;
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ApiError('bad_response', 'the answer (HTTP ' + response.status + ') is not the node API\'s',
      response.status);
  }
  if (!response.ok) {
    throw new ApiError(json.code || 'bad_response', json.message || 'HTTP ' + response.status, response.status);
  }
  return json;
}

/** "nothing is owed … right now" → "Nothing is owed … right now." */
function sentence(text) {
  const trimmed = String(text).trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : capital + '.';
}

// ------------------------------------------------------------------ amounts, exactly

/** The exact decimal figure of {@code value} (a BigInt in the smallest unit), with thousands separators. */
function decimalFigure(value, decimals) {
  const digits = value.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? whole + '.' + fraction : whole;
}

/** An amount for people: whole units, or wei and gwei for the smallest ether amounts (prices per byte). */
function formatValue(value, asset) {
  if (asset.symbol === 'ETH' && asset.decimals === 18 && value > 0n && value < 1000000000000n) {
    return value < 1000000n ? decimalFigure(value, 0) + ' wei' : decimalFigure(value, 9) + ' gwei';
  }
  return decimalFigure(value, asset.decimals) + ' ' + asset.symbol;
}

function formatAmount(amount, asset) {
  return formatValue(BigInt(amount.value), asset);
}

/** An element showing {@code amount}; the exact figure in the smallest unit is in its title. */
function amountElement(amount, asset, tag) {
  const element = document.createElement(tag || 'span');
  element.className = 'amount';
  element.textContent = formatAmount(amount, asset);
  element.title = amount.formatted + ' (' + decimalFigure(BigInt(amount.value), 0) + ' in the smallest unit)';
  return element;
}

function isZero(amount) {
  return BigInt(amount.value) === 0n;
}

function sum(amounts) {
  return { value: amounts.reduce((total, a) => total + BigInt(a.value), 0n).toString() };
}

// ------------------------------------------------------------------ small pieces of page

function el(tag, text, className) {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) {
    element.textContent = text;
  }
  if (className) {
    element.className = className;
  }
  return element;
}

function shortAddress(address) {
  return address.slice(0, 6) + '…' + address.slice(-4);
}

/** An address shortened for the eye; the whole of it for screen readers, the tooltip and copying. */
function addressElement(address) {
  const element = el('span', shortAddress(address), 'mono');
  element.title = address;
  element.setAttribute('aria-label', address);
  element.dataset.address = address;
  return element;
}

/** A cell labelled with its column, which the narrow layout shows beside the value. */
function cell(row, label, content, className) {
  const td = row.insertCell();
  td.dataset.label = label;
  if (className) {
    td.className = className;
  }
  for (const part of [].concat(content)) {
    td.append(part instanceof Node ? part : document.createTextNode(part));
  }
  return td;
}

function actionButton(label, key, action) {
  const button = el('button', label, 'primary small');
  button.type = 'button';
  button.dataset.focusKey = key;
  button.addEventListener('click', () => action(button));
  return button;
}

function localTime(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "in 59 min", "in 2 h 5 min", "3 min ago": whole minutes, from this browser's clock. */
function relative(iso) {
  const minutes = Math.round((Date.parse(iso) - Date.now()) / 60000);
  const size = Math.abs(minutes);
  const text = size >= 60 ? Math.floor(size / 60) + ' h ' + (size % 60) + ' min' : size + ' min';
  return minutes >= 0 ? 'in ' + text : text + ' ago';
}

/** Replaces a table's rows, keeping the keyboard focus on the same control if it is still there. */
function fillTable(tableId, emptyId, items, addRow) {
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.focusKey : undefined;
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  items.forEach(item => addRow(body.insertRow(), item));
  document.getElementById(tableId).hidden = items.length === 0;
  document.getElementById(emptyId).hidden = items.length !== 0;
  if (focused) {
    const again = body.querySelector('[data-focus-key="' + CSS.escape(focused) + '"]');
    if (again) {
      again.focus();
    }
  }
}

function panelError(sectionId, error) {
  const box = document.querySelector('#' + sectionId + ' .panel-error');
  box.hidden = !error;
  box.textContent = error ? 'Could not read this part: ' + sentence(error.message) + ' (' + error.code + ')' : '';
}

// ------------------------------------------------------------------ messages

/**
 * Shows a banner. Successes clear by themselves after a while and when the next action starts; errors stay until
 * dismissed or until the next action, so a message never describes a state that has since moved on.
 */
function say(kind, text, code) {
  clearMessages();
  const box = el('div', null, 'message ' + kind);
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.append(el('p', text));
  if (code) {
    box.firstChild.append(' ', el('span', '(' + code + ')', 'code'));
  }
  const dismiss = el('button', 'Dismiss', 'link');
  dismiss.type = 'button';
  dismiss.addEventListener('click', () => box.remove());
  box.append(dismiss);
  document.getElementById('messages').append(box);
  // A progress message stays until its action ends (inProgress removes it): a wait for the chain can be minutes.
  if (kind !== 'error' && kind !== 'progress') {
    setTimeout(() => box.remove(), SUCCESS_SHOWN_MS);
  }
  return box;
}

function clearMessages() {
  document.getElementById('messages').replaceChildren();
}

function failed(what, error) {
  say('error', what + ': ' + sentence(error.message), error.code);
}

// ------------------------------------------------------------------ confirmation dialog

/**
 * Asks the operator; resolves true only for the confirm button. Escape, Cancel and closing the dialog decline.
 *
 * @param body nodes to show under the title
 */
function confirmAction(title, body, confirmLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-body').replaceChildren(...body);
  document.getElementById('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = 'cancel';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/**
 * Disables {@code button} and shows {@code text} until {@code work} ends, counting the seconds it takes; for a
 * {@code channelId}, also the confirmations its transaction has gathered (see renderTransactions).
 */
async function inProgress(button, text, work, channelId) {
  clearMessages();
  const box = say('progress', text);
  box.setAttribute('aria-busy', 'true');
  if (channelId !== undefined) {
    box.dataset.channel = String(channelId);
    box.firstChild.append(' ', el('span', '', 'confirmations'));
    renderTransactions(view.transactions);
    // Read the transactions at once rather than at the next refresh, so the count shows as soon as it is sent.
    refresh();
  }
  const counter = el('span', '', 'muted');
  box.firstChild.append(' ', counter);
  const started = Date.now();
  const tick = setInterval(() => {
    counter.textContent = Math.round((Date.now() - started) / 1000) + ' s';
  }, 1000);
  button.disabled = true;
  try {
    return await work();
  } finally {
    clearInterval(tick);
    button.disabled = false;
    box.remove();
  }
}

// ------------------------------------------------------------------ actions

async function payDebts(peer, button) {
  let preview;
  try {
    preview = await api('GET', '/api/pay/' + peer.address);
  } catch (e) {
    failed('Cannot pay ' + shortAddress(peer.address), e);
    return;
  }
  const amount = formatAmount(preview.amount, preview.asset);
  const question = el('p', 'Transfer ' + amount + ' to ' + preview.peer + '?', 'question');
  question.id = 'pay-question';
  const details = el('p', 'This pays everything you owe this provider now'
    + (preview.channelId ? ', through channel ' + preview.channelId : '')
    + '. If it served more in the meantime, the payment covers that too.', 'muted');
  if (!await confirmAction('Pay debts', [question, details], 'Pay ' + amount)) {
    say('info', 'Nothing was paid.');
    return;
  }
  try {
    const paid = await inProgress(button, 'Paying ' + amount + ' to ' + shortAddress(peer.address)
      + '; waiting for the provider\'s receipt…', () => api('POST', '/api/pay/' + peer.address, {}));
    const grew = BigInt(paid.amount.value) > BigInt(preview.amount.value)
      ? ' (more than the ' + amount + ' asked about: the debt grew meanwhile)' : '';
    say('success', 'Paid ' + formatAmount(paid.amount, paid.asset) + grew + ' to ' + shortAddress(paid.peer)
      + '; the payment went through. Paid in total: ' + formatAmount(paid.paidTotal, paid.asset)
      + '; still owed: ' + formatAmount(paid.owed, paid.asset) + '.');
  } catch (e) {
    failed('The payment to ' + shortAddress(peer.address) + ' did not go through', e);
  }
  await refresh();
}

function choice(name, value, label, help, checked) {
  const wrapper = el('div', null, 'choice');
  const input = el('input');
  input.type = 'radio';
  input.name = name;
  input.value = value;
  input.id = name + '-' + value;
  input.checked = checked;
  const text = el('label');
  text.htmlFor = input.id;
  text.append(el('strong', label), el('span', help, 'muted block'));
  wrapper.append(input, text);
  return wrapper;
}

/**
 * What {@code actions} (names of GET /api/fees) cost in network fees at most, asked of the node now, as a sentence
 * for a confirmation, each with its label; if the node cannot tell (its chain is away), the question says so rather
 * than wait.
 */
async function feeSentence(actions) {
  try {
    const fees = await api('GET', '/api/fees');
    const parts = actions.map(([action, label]) => {
      const fee = fees.actions.find(a => a.action === action);
      return formatAmount(fee.fee, ETHER) + ' ' + label;
    });
    return 'Network fee, at most: ' + parts.join('; ') + ' (at up to ' + formatAmount(fees.maxFeePerGas, ETHER)
      + ' per unit of gas), paid from your wallet in ETH.';
  } catch (e) {
    return 'The node cannot estimate the network fee right now (' + e.message + '); it is paid from your wallet '
      + 'in ETH.';
  }
}

async function closeChannel(channel, button) {
  const asset = channel.asset;
  const cooperative = choice('close-mode', 'cooperative', 'Together with the partner (recommended)',
    'Your node pays what it owes, both sign the final balances and the channel settles at once. If the partner '
    + 'does not answer in time, it is closed on chain instead.', true);
  const force = choice('close-mode', 'force', 'On chain, without the partner',
    'The channel settles after its challenge period, during which the partner may answer with a newer balance.',
    false);
  const fieldset = el('fieldset');
  fieldset.append(el('legend', 'How to close it'), cooperative, force);
  const intro = el('p', 'Close channel ' + channel.channelId + ' with ' + channel.partner + '? '
    + formatAmount(channel.spendable, asset) + ' of yours is in it; it comes back to your wallet when the channel '
    + 'settles.', 'question');
  const fee = el('p', await feeSentence([['settleCooperatively', 'together'],
    ['closeAndSettle', 'on chain (a close now and a settlement after the challenge period)']]), 'muted');
  if (!await confirmAction('Close channel ' + channel.channelId, [intro, fieldset, fee], 'Close channel')) {
    return;
  }
  const forced = document.getElementById('close-mode-force').checked;
  try {
    const closed = await inProgress(button, 'Closing channel ' + channel.channelId
      + (forced ? ' on chain' : ' together with the partner') + '; waiting for the chain…',
    () => api('POST', '/api/channels/' + channel.channelId + '/close', { force: forced }), channel.channelId);
    say('success', closed.state === 'SETTLED'
      ? 'Channel ' + closed.channelId + ' is settled; what was yours in it is back in your wallet.'
      : 'Channel ' + closed.channelId + ' is closed. Its challenge period ends ' + relative(closed.settleAt)
        + ' (' + localTime(closed.settleAt) + '); then it settles and what is yours comes back to your wallet.');
  } catch (e) {
    failed('Channel ' + channel.channelId + ' was not closed', e);
  }
  await refresh();
}

/** The form's problems, field by field; none when both can be sent. */
function openProblems(partner, deposit, asset) {
  const problems = {};
  if (!/^0x[0-9a-fA-F]{40}$/.test(partner)) {
    problems.partner = 'An address is 0x followed by 40 hexadecimal digits (0-9, a-f), such as your partner\'s '
      + '"turnpike wallet address" prints.';
  } else if (view.status && partner.toLowerCase() === view.status.address.toLowerCase()) {
    problems.partner = 'That is this node\'s own address; a channel is with another node.';
  }
  problems.deposit = amountProblem('deposit', deposit, asset, walletBalance(asset), 'Your wallet holds');
  return problems;
}

/**
 * What is wrong with {@code text} as an amount of {@code asset} of at most {@code limit} (null: no limit), exactly, in
 * BigInt; undefined when nothing is.
 */
function amountProblem(what, text, asset, limit, limitSays) {
  const figure = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!figure) {
    return 'Give the ' + what + ' as a decimal figure in ' + asset.symbol + ', such as 0.5.';
  }
  if ((figure[2] || '').length > asset.decimals) {
    return asset.symbol + ' has at most ' + asset.decimals + ' decimal places.';
  }
  const value = BigInt(figure[1] + (figure[2] || '').padEnd(asset.decimals, '0'));
  if (value === 0n) {
    return 'The ' + what + ' must be more than zero.';
  }
  if (limit !== null && value > limit) {
    return limitSays + ' ' + formatValue(limit, asset) + ', less than that.';
  }
  return undefined;
}

/**
 * Asks for an amount to deposit into or withdraw from {@code channel}, then for a confirmation naming it, the partner
 * and the fee; resolves the amount as typed, or null when the operator declines at either step.
 */
async function askChannelAmount(channel, what, feeAction, limit, limitSays, intro, confirmLabel, question) {
  const asset = channel.asset;
  const id = 'channel-amount';
  let problem = null;
  for (;;) {
    const field = el('div', null, 'field');
    const label = el('label', 'Amount in ' + asset.symbol);
    label.htmlFor = id;
    const input = el('input');
    input.id = id;
    input.inputMode = 'decimal';
    input.autocomplete = 'off';
    input.placeholder = '0.05';
    const error = el('p', problem || '', 'field-error');
    error.hidden = !problem;
    field.append(label, input, error);
    if (!await confirmAction(what + ' channel ' + channel.channelId, [el('p', intro, 'muted'), field], 'Continue')) {
      return null;
    }
    const amount = input.value.trim();
    problem = amountProblem(what.toLowerCase(), amount, asset, limit, limitSays);
    if (problem) {
      continue;
    }
    const body = [el('p', question(amount + ' ' + asset.symbol), 'question'),
      el('p', await feeSentence([[feeAction, 'for its transaction']]), 'muted'),
      el('p', 'The chain must confirm it, which takes a few blocks; the progress shows here.', 'muted')];
    return await confirmAction(what + ' channel ' + channel.channelId, body, confirmLabel(amount + ' ' + asset.symbol))
      ? amount : null;
  }
}

async function depositIntoChannel(channel, button) {
  const asset = channel.asset;
  const amount = await askChannelAmount(channel, 'Top up', 'deposit', walletBalance(asset), 'Your wallet holds',
    'Move more of your wallet into channel ' + channel.channelId + ', so you can pay ' + shortAddress(channel.partner)
    + ' more through it.', shown => 'Deposit ' + shown,
    shown => 'Deposit ' + shown + ' into channel ' + channel.channelId + ' with ' + channel.partner + '?');
  if (amount === null) {
    return;
  }
  await changeChannel(channel, button, 'deposit', amount, 'Depositing ' + amount + ' ' + asset.symbol
    + ' into channel ' + channel.channelId, 'The deposit was not made', after => 'Channel ' + after.channelId
    + ' now holds ' + formatAmount(after.ownDeposit, asset) + ' of yours (it held '
    + formatAmount(channel.ownDeposit, asset) + '); you can pay ' + formatAmount(after.spendable, asset) + ' in it.');
}

async function withdrawFromChannel(channel, button) {
  const asset = channel.asset;
  const amount = await askChannelAmount(channel, 'Withdraw', 'withdraw', BigInt(channel.spendable.value), 'You can withdraw',
    'Take part of what you can still pay in channel ' + channel.channelId + ' back to your wallet, without '
    + 'closing it. ' + shortAddress(channel.partner) + ' must be connected to co-sign.',
    shown => 'Withdraw ' + shown,
    shown => 'Withdraw ' + shown + ' from channel ' + channel.channelId + ' with ' + channel.partner
      + ' back to your wallet?');
  if (amount === null) {
    return;
  }
  await changeChannel(channel, button, 'withdraw', amount, 'Withdrawing ' + amount + ' ' + asset.symbol
    + ' from channel ' + channel.channelId + '; the partner co-signs', 'Nothing was withdrawn', after => amount + ' '
    + asset.symbol + ' from channel ' + after.channelId + ' is back in your wallet; you can still pay '
    + formatAmount(after.spendable, asset) + ' in it (it was ' + formatAmount(channel.spendable, asset) + ').');
}

/** Sends the deposit or withdrawal, showing its confirmations while the chain gathers them, then what changed. */
async function changeChannel(channel, button, action, amount, doing, refused, changed) {
  try {
    const after = await inProgress(button, doing + '; waiting for the chain…',
      () => api('POST', '/api/channels/' + channel.channelId + '/' + action, { amount }), channel.channelId);
    say('success', changed(after));
  } catch (e) {
    failed(refused, e);
  }
  await refresh();
}

function walletBalance(asset) {
  const balance = view.wallet && view.wallet.balances.find(b => b.asset.token === asset.token);
  return balance ? BigInt(balance.amount.value) : null;
}

function showFieldError(id, text) {
  const box = document.getElementById(id + '-error');
  const input = document.getElementById(id);
  box.hidden = !text;
  box.textContent = text || '';
  input.setAttribute('aria-invalid', text ? 'true' : 'false');
}

async function openChannel(event) {
  event.preventDefault();
  if (!view.status) {
    return;
  }
  const asset = view.status.asset;
  const partner = document.getElementById('partner').value.trim();
  const deposit = document.getElementById('deposit').value.trim();
  const problems = openProblems(partner, deposit, asset);
  showFieldError('partner', problems.partner);
  showFieldError('deposit', problems.deposit);
  if (problems.partner || problems.deposit) {
    document.getElementById(problems.partner ? 'partner' : 'deposit').focus();
    return;
  }
  const body = [el('p', 'Open a channel to ' + partner + ' with ' + deposit + ' ' + asset.symbol + '?', 'question'),
    el('p', 'The deposit leaves your wallet now and stays in the channel until it is closed and settled. The chain '
      + 'must confirm the opening, which takes a few blocks.', 'muted'),
    el('p', await feeSentence([['open', 'for the opening']]), 'muted')];
  const known = (view.peers ? view.peers.peers : []).find(p => p.address.toLowerCase() === partner.toLowerCase());
  // The node refuses a partner it is not connected to unless told to go ahead: the warning is that telling.
  const force = !known || !known.connected;
  if (force) {
    body.push(el('p', 'This address is not a peer your node is connected to. If no node answers at it, the deposit '
      + 'stays locked until you close the channel and its challenge period ends.', 'warning'));
  }
  if (!await confirmAction('Open a channel', body, (force ? 'Open anyway with ' : 'Open with ') + deposit + ' '
    + asset.symbol)) {
    return;
  }
  const button = document.getElementById('open-submit');
  try {
    const opened = await inProgress(button, 'Opening a channel to ' + shortAddress(partner) + ' with ' + deposit + ' '
      + asset.symbol + '; waiting for the chain to confirm it…',
    () => api('POST', '/api/channels', { partner, deposit, force }));
    say('success', 'Channel ' + opened.channelId + ' to ' + shortAddress(opened.partner) + ' is open with '
      + formatAmount(opened.ownDeposit, opened.asset) + '.');
    document.getElementById('open-form').reset();
  } catch (e) {
    failed('The channel was not opened', e);
  }
  await refresh();
}

// ------------------------------------------------------------------ rendering

function renderStatus(status) {
  document.getElementById('node-summary').textContent = shortAddress(status.address) + ' · '
    + (status.services.length ? status.services.join(', ') : 'no services');
  document.getElementById('node-summary').title = status.address;
  document.querySelectorAll('.asset-symbol').forEach(s => { s.textContent = status.asset.symbol; });
  if (status.headBlock !== head.block) {
    head.block = status.headBlock;
    head.seenAt = Date.now();
  }
  const health = document.getElementById('chain-health');
  health.className = 'health ' + (status.chainStale ? 'bad' : 'good');
  health.textContent = status.chainStale
    ? 'Stale: no new block for a while. Enforcement that depends on the chain is paused until blocks arrive.'
    : 'Healthy: following the chain.';
  document.getElementById('chain-id').textContent = 'chain id ' + status.chainId
    + (status.chainId === 31337 ? ' (a local test chain)' : '');
  const seconds = Math.round((Date.now() - head.seenAt) / 1000);
  document.getElementById('chain-head').textContent = '#' + decimalFigure(BigInt(status.headBlock), 0)
    + (seconds >= 10 ? ' (unchanged for ' + seconds + ' s)' : '');
  document.getElementById('chain-contract').textContent = status.contract;
}

function count(n, noun) {
  return n.toLocaleString('en-US') + ' ' + noun + (n === 1 ? '' : 's');
}

/** The RPC endpoints from the Prometheus text: requests answered and errors, per endpoint. */
function renderEndpoints(metrics) {
  const endpoints = new Map();
  const line = /^turnpike_rpc_(requests_seconds_count|errors_total)\{endpoint="([^"]*)"\} (\S+)$/;
  for (const text of metrics.split('\n')) {
    const match = line.exec(text);
    if (match) {
      const entry = endpoints.get(match[2]) || { requests: 0, errors: 0 };
      entry[match[1] === 'errors_total' ? 'errors' : 'requests'] = Math.round(Number(match[3]));
      endpoints.set(match[2], entry);
    }
  }
  const list = document.getElementById('chain-endpoints');
  list.replaceChildren();
  for (const [endpoint, counts] of endpoints) {
    const item = el('li');
    item.append(el('span', endpoint, 'mono wrap'), el('span', ' ' + count(counts.requests, 'request') + ', '
      + counts.errors.toLocaleString('en-US') + ' failed', counts.errors ? 'warning-text' : 'muted'));
    list.append(item);
  }
  if (endpoints.size === 0) {
    list.append(el('li', 'none used yet', 'muted'));
  }
}

function renderWallet(wallet) {
  document.getElementById('wallet-address').textContent = wallet.address;
  const balances = document.getElementById('wallet-balances');
  balances.replaceChildren();
  for (const balance of wallet.balances) {
    balances.append(amountElement(balance.amount, balance.asset, 'div'));
  }
  document.getElementById('wallet-in-channels').replaceChildren(amountElement(wallet.inChannels, wallet.asset));
  document.getElementById('wallet-total').replaceChildren(amountElement(wallet.total, wallet.asset));
  const low = wallet.balances.find(b => b.low);
  const warning = document.getElementById('wallet-low');
  warning.hidden = !low;
  warning.textContent = low ? 'Low balance: ' + formatAmount(low.amount, low.asset) + ' is under '
    + formatAmount(wallet.lowBalance, low.asset) + '. The node pays its transaction fees from it; top it up.' : '';
}

function renderPeers(peers) {
  const asset = peers.asset;
  fillTable('peers-table', 'peers-empty', peers.peers, (row, peer) => {
    row.dataset.peer = peer.address;
    const status = el('span', peer.connected ? 'online' : 'offline', peer.connected ? 'dot on' : 'dot off');
    cell(row, 'Peer', [addressElement(peer.address), ' ', status]);
    cell(row, 'Role', peer.role === 'provider' ? 'Provider (you buy)' : 'Client (buys from you)');
    cell(row, 'Tier', peer.tier === 'free' ? 'Free (slowed)' : 'Paid');
    cell(row, 'Used', amountElement(peer.used, asset), 'num');
    const paid = [amountElement(peer.paid, asset)];
    if (!isZero(peer.inFlight)) {
      paid.push(el('span', ' + ' + formatAmount(peer.inFlight, asset) + ' on its way', 'muted block'));
    }
    cell(row, 'Paid', paid, 'num');
    const owed = [el('span', peer.role === 'provider' ? 'you owe ' : 'owes you ', 'muted'),
      amountElement(peer.owed, asset)];
    if (!isZero(peer.credit)) {
      owed.push(el('span', 'credit ' + formatAmount(peer.credit, asset), 'muted block'));
    }
    cell(row, 'Owed', owed, 'num owed');
    cell(row, 'Channel', peer.channelId === null ? 'none' : String(peer.channelId));
    const actions = cell(row, 'Actions', [], 'actions');
    if (peer.role === 'provider' && !isZero(peer.owed)) {
      actions.append(actionButton('Pay debts', 'pay-' + peer.address, button => payDebts(peer, button)));
    }
  });
  const providers = peers.peers.filter(p => p.role === 'provider');
  const clients = peers.peers.filter(p => p.role === 'client');
  document.getElementById('debts-owed').replaceChildren(amountElement(sum(providers.map(p => p.owed)), asset));
  document.getElementById('debts-owing').replaceChildren(amountElement(sum(clients.map(p => p.owed)), asset));
  document.getElementById('debts-help').hidden = providers.length === 0;
}

const STATES = { OPEN: 'Open', CLOSED: 'Closing', SETTLED: 'Settled' };

function renderChannels(channels) {
  fillTable('channels-table', 'channels-empty', channels.channels, (row, channel) => {
    const asset = channel.asset;
    row.dataset.channel = String(channel.channelId);
    row.className = channel.state === 'SETTLED' ? 'settled' : '';
    cell(row, 'Channel', String(channel.channelId));
    cell(row, 'Partner', addressElement(channel.partner));
    const state = [el('span', STATES[channel.state] || channel.state, 'badge ' + channel.state.toLowerCase())];
    if (channel.state === 'CLOSED' && channel.settleAt) {
      const note = el('span', countdown(channel.settleAt), 'muted block countdown');
      note.dataset.settleAt = channel.settleAt;
      note.title = localTime(channel.settleAt);
      state.push(note);
    }
    cell(row, 'State', state);
    cell(row, 'Your deposit', amountElement(channel.ownDeposit, asset), 'num');
    cell(row, 'Partner\'s deposit', amountElement(channel.partnerDeposit, asset), 'num');
    cell(row, 'You paid', amountElement(channel.sent, asset), 'num');
    cell(row, 'You earned', amountElement(channel.received, asset), 'num');
    cell(row, 'You can still pay', channel.state === 'OPEN' ? amountElement(channel.spendable, asset) : '—', 'num');
    const actions = cell(row, 'Actions', [], 'actions');
    if (channel.state === 'OPEN') {
      const topUp = actionButton('Top up…', 'deposit-' + channel.channelId, b => depositIntoChannel(channel, b));
      topUp.setAttribute('aria-label', 'Top up channel ' + channel.channelId);
      const withdraw = actionButton('Withdraw…', 'withdraw-' + channel.channelId,
        b => withdrawFromChannel(channel, b));
      withdraw.className = 'secondary small';
      withdraw.setAttribute('aria-label', 'Withdraw from channel ' + channel.channelId);
      const button = actionButton('Close…', 'close-' + channel.channelId, b => closeChannel(channel, b));
      button.className = 'secondary small';
      button.setAttribute('aria-label', 'Close channel ' + channel.channelId);
      actions.append(topUp, withdraw, button);
    }
  });
}

/** "settles in 4 min 05 s", to the second, from this browser's clock; ticked every second by tickCountdowns. */
function countdown(iso) {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (seconds <= 0) {
    return 'challenge period over; settling';
  }
  const h = Math.floor(seconds / 3600);
  const min = Math.floor(seconds % 3600 / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return 'settles in ' + (h > 0 ? h + ' h ' : '') + (h > 0 || min > 0 ? min + ' min ' : '') + s + ' s';
}

function tickCountdowns() {
  document.querySelectorAll('.countdown[data-settle-at]').forEach(note => {
    note.textContent = countdown(note.dataset.settleAt);
  });
}

const PURPOSES = { open: 'Opening', deposit: 'Top-up', withdraw: 'Withdrawal', 'cooperative settle': 'Settlement',
  close: 'Close', 'proof update': 'Proof update', settle: 'Settlement' };

/**
 * The transactions on their way, with their confirmations ("Confirming 2/4"), in the channels section and in the
 * progress message of the action waiting for one; nothing once they are final.
 */
function renderTransactions(transactions) {
  const list = document.getElementById('transactions');
  const items = transactions ? transactions.transactions : [];
  list.replaceChildren(...items.map(tx => {
    const item = el('li', (PURPOSES[tx.purpose] || tx.purpose)
      + (tx.channelId === null ? '' : ' of channel ' + tx.channelId) + ': ' + progress(tx) + ' ');
    item.dataset.channel = tx.channelId === null ? '' : String(tx.channelId);
    item.append(el('code', shortAddress(tx.hash), 'muted'));
    return item;
  }));
  list.hidden = items.length === 0;
  document.querySelectorAll('#messages .message.progress[data-channel]').forEach(box => {
    const tx = items.find(t => String(t.channelId) === box.dataset.channel);
    box.querySelector('.confirmations').textContent = tx ? progress(tx) : '';
  });
}

function progress(tx) {
  return tx.state === 'PENDING' ? 'sent, waiting for a block' : 'Confirming ' + tx.confirmations + '/' + tx.required;
}

/** A price per unit, and per GB when the unit is a byte: exact, with BigInt. */
function priceElements(price, unit, asset) {
  const perUnit = formatAmount(price, asset) + ' per ' + unit.replace('_', ' ');
  if (unit !== 'byte') {
    return [el('span', perUnit, 'amount')];
  }
  return [el('span', formatValue(BigInt(price.value) * GB, asset) + ' per GB', 'amount'),
    el('span', perUnit, 'muted block')];
}

function renderServices(services) {
  const asset = services.asset;
  fillTable('sold-table', 'sold-empty', services.sold, (row, service) => {
    cell(row, 'Service', service.service);
    cell(row, 'Price', priceElements(service.price, service.unit, asset), 'num');
  });
  const threshold = document.getElementById('sold-threshold');
  threshold.hidden = services.paymentThreshold === null;
  threshold.textContent = services.paymentThreshold === null ? '' : 'Clients pay before they owe you '
    + formatAmount(services.paymentThreshold, asset) + '; above 1.25 times that they are slowed to the free tier.';
  fillTable('bought-table', 'bought-empty', services.bought, (row, service) => {
    cell(row, 'Provider', addressElement(service.provider));
    cell(row, 'Service', service.service);
    cell(row, 'Price', priceElements(service.price, service.unit, asset), 'num');
  });
  // Only a node whose rpc front serves someone has any; the card stays hidden otherwise.
  const rpcClients = services.rpcClients || [];
  document.getElementById('rpc-clients').hidden = rpcClients.length === 0;
  fillTable('rpc-clients-table', 'rpc-clients-empty', rpcClients, (row, client) => {
    cell(row, 'Client', addressElement(client.client));
    cell(row, 'Tier', client.tier === 'paid' ? 'Paid seat' : 'Free (spare capacity)');
    cell(row, 'Capacity', count(client.capacity, 'cost unit') + '/s', 'num');
    const full = client.bufferLimit === 0 ? 0 : Math.floor(100 * client.buffer / client.bufferLimit);
    cell(row, 'Buffer', client.buffer.toLocaleString('en-US') + ' of ' + client.bufferLimit.toLocaleString('en-US')
      + ' (' + full + ' %)', 'num');
    cell(row, 'Price', priceElements(client.price, 'cost unit', asset), 'num');
  });
}

function renderRefusals(refusals) {
  fillTable('refusals-table', 'refusals-empty', refusals.refusals, (row, refusal) => {
    cell(row, 'When', localTime(refusal.at));
    cell(row, 'Peer', addressElement(refusal.peer));
    cell(row, 'Code', el('code', refusal.code));
  });
}

// ------------------------------------------------------------------ refresh

const PARTS = [
  { name: 'status', path: '/api/status', section: 'chain', render: renderStatus, always: true },
  { name: 'wallet', path: '/api/wallet', section: 'wallet', render: renderWallet },
  { name: 'peers', path: '/api/peers', section: 'peers', render: renderPeers },
  { name: 'channels', path: '/api/channels', section: 'channels', render: renderChannels },
  { name: 'transactions', path: '/api/transactions', section: 'channels', render: renderTransactions, always: true },
  { name: 'services', path: '/api/services', section: 'services', render: renderServices },
  { name: 'refusals', path: '/api/refusals', section: 'refusals', render: renderRefusals },
  { name: 'metrics', path: '/metrics', section: 'chain', render: renderEndpoints },
];

/** Reads every part at once; a part that fails keeps what it showed and says why, the others go on. */
function refresh() {
  if (!token()) {
    return Promise.resolve();
  }
  // One refresh at a time: an action's refresh waits for the one already on its way, then runs.
  const previous = refreshing || Promise.resolve();
  refreshing = previous.then(() => readAll()).finally(() => { refreshing = null; });
  return refreshing;
}

async function readAll() {
  if (!token()) {
    return;
  }
  const results = await Promise.allSettled(PARTS.map(part => api('GET', part.path)));
  if (!token()) {
    return; // the token was refused meanwhile
  }
  const errors = new Map();
  results.forEach((result, i) => {
    const part = PARTS[i];
    if (result.status === 'fulfilled') {
      view[part.name] = result.value;
      // Rows are rebuilt only when what they show changed (or, for countdowns, a minute passed), so a button does
      // not vanish under the pointer or the keyboard's focus at every refresh.
      const shown = JSON.stringify(result.value) + (part.everyMinute ? Math.floor(Date.now() / 60000) : '');
      if (part.always || shown !== rendered.get(part.name)) {
        rendered.set(part.name, shown);
        part.render(result.value);
      }
    } else if (!errors.has(part.section)) {
      errors.set(part.section, result.reason);
    }
  });
  for (const section of new Set(PARTS.map(p => p.section))) {
    panelError(section, errors.get(section));
  }
  const unreachable = results.some(r => r.status === 'rejected' && r.reason.code === 'node_unreachable');
  document.getElementById('updated').textContent = unreachable
    ? 'Node not answering; retrying'
    : 'Updated ' + new Date().toLocaleTimeString(undefined, { timeStyle: 'medium' });
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refresh().finally(scheduleRefresh), REFRESH_MS);
}

// ------------------------------------------------------------------ signing in and out

function forgetToken(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  rendered.clear();
  show();
  const error = document.getElementById('login-error');
  error.hidden = !reason;
  error.textContent = reason || '';
}

function show() {
  const connected = token() !== null;
  document.getElementById('login-section').hidden = connected;
  document.getElementById('main').hidden = !connected;
  document.getElementById('nav').hidden = !connected;
  document.getElementById('logout').hidden = !connected;
  if (!connected) {
    document.getElementById('node-summary').textContent = 'Not connected';
    document.getElementById('updated').textContent = '';
    clearMessages();
    document.getElementById('token').focus();
  }
}

/** Takes a token given in the address' fragment; returns whether there was one. */
function tokenFromFragment() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (!fragment.has('token')) {
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, fragment.get('token').trim());
  // Out of the address bar, history and anything copied from it.
  history.replaceState(null, '', window.location.pathname);
  return true;
}

function start() {
  tokenFromFragment();
  // An address with #token= opened in a tab that already shows the page changes only the fragment: no reload.
  window.addEventListener('hashchange', () => {
    if (tokenFromFragment()) {
      show();
      refresh();
    }
  });
  document.getElementById('login').addEventListener('submit', event => {
    event.preventDefault();
    const given = document.getElementById('token').value.trim();
    if (!given) {
      forgetToken('Paste the token first.');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, given);
    document.getElementById('token').value = '';
    document.getElementById('login-error').hidden = true;
    show();
    refresh();
  });
  document.getElementById('logout').addEventListener('click', () => forgetToken(null));
  document.getElementById('open-form').addEventListener('submit', openChannel);
  document.getElementById('copy-address').addEventListener('click', () => {
    navigator.clipboard.writeText(document.getElementById('wallet-address').textContent)
      .then(() => say('info', 'The address is copied.'), () => say('info', 'Select the address to copy it.'));
  });
  show();
  setInterval(tickCountdowns, 1000);
  refresh().finally(scheduleRefresh);
}

document.addEventListener('DOMContentLoaded', start);
