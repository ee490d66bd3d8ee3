// The market and selling screens (docs/dashboard.md: Providers, Subscriptions, Selling, Towers). Loaded after
// dashboard.js, whose helpers it uses (api, el, cell, fillTable, formatAmount, confirmAction, inProgress, say…): it
// adds its parts to the same refresh (PARTS), so they are read and re-rendered with the rest of the page.
'use strict';

const DAY_MS = 86400000;
const THOUSAND = 1000n;
/** One colour per service in the earnings chart (and its legend); others take the last. */
const SERVICE_COLOURS = { bandwidth: 'series-1', rpc: 'series-2', paywall: 'series-3', mailbox: 'series-4' };

// ------------------------------------------------------------------ prices, in the units people think in

/** A price per unit as people read it: per GB for bytes, per 1,000 units for RPC cost units, else per unit. */
function naturalPrice(price, unit, asset) {
  const value = BigInt(price.value);
  if (unit === 'byte') {
    return formatValue(value * GB, asset) + ' per GB';
  }
  if (unit === 'cost_unit') {
    return formatValue(value * THOUSAND, asset) + ' per 1,000 cost units';
  }
  return formatValue(value, asset) + ' per ' + unit.replace('_', ' ');
}

function period(seconds) {
  if (seconds % 86400 === 0) {
    return count(seconds / 86400, 'day');
  }
  return seconds % 3600 === 0 ? count(seconds / 3600, 'hour') : count(seconds, 'second');
}

function dayOf(iso) {
  return new Date(iso).toLocaleDateString('en-US', { dateStyle: 'medium' });
}

// ------------------------------------------------------------------ providers

/** Why a provider scores as it does, in a line: what this node saw of it. */
function scoreReasons(provider) {
  const h = provider.history;
  const reasons = [provider.latencyMs === null ? 'no answer to the latency probe' : provider.latencyMs + ' ms away',
    provider.stake === null ? 'no stake' : 'staked'];
  reasons.push(h.undelivered + h.refusedProofs + h.disconnects === 0 ? 'no trouble seen'
    : [count(h.undelivered, 'payment') + ' not served', count(h.refusedProofs, 'refused proof'),
      count(h.disconnects, 'disconnect')].join(', '));
  return reasons.join('; ');
}

function renderProviders(providers) {
  const asset = view.status ? view.status.asset : { symbol: 'ETH', decimals: 18 };
  fillTable('providers-table', 'providers-empty', providers.providers, (row, provider) => {
    row.dataset.provider = provider.address;
    const status = el('span', provider.connected ? 'online' : 'offline', provider.connected ? 'dot on' : 'dot off');
    const where = el('span', provider.endpoint || 'no endpoint', 'muted block wrap');
    cell(row, 'Provider', [addressElement(provider.address), ' ', status, where]);
    cell(row, 'Sells', provider.services.length === 0 ? el('span', 'nothing offered yet', 'muted')
      : provider.services.map(s => el('span', s.service + ': ' + naturalPrice(s.price, s.unit, asset), 'block')));
    cell(row, 'Monthly fee', provider.plans.length === 0 ? el('span', 'no plans', 'muted')
      : provider.plans.map(plan => planElement(provider, plan)));
    cell(row, 'Stake', provider.stake === null ? el('span', 'none', 'muted') : amountElement(provider.stake, ETH_ASSET),
      'num');
    cell(row, 'Latency', provider.latencyMs === null ? el('span', 'no answer', 'muted') : provider.latencyMs + ' ms',
      'num');
    cell(row, 'Score', [el('strong', String(provider.score)), el('span', scoreReasons(provider), 'muted block')],
      'num');
    const choose = cell(row, 'Used for', provider.chosenFor.length === 0 ? [] : [el('span',
      provider.chosenFor.join(', '), 'badge open')], 'actions');
    // Only a configured provider can be pinned: the node holds a connection (and its terms) for those alone.
    for (const service of Object.keys(providers.chosen)) {
      if (provider.configured && !provider.chosenFor.includes(service)
        && provider.services.some(s => s.service === service)) {
        const button = actionButton('Use for ' + service + '…', 'choose-' + service + '-' + provider.address,
          b => chooseProvider(service, provider.address, b));
        button.className = 'secondary small';
        choose.append(button);
      }
    }
  });
  const automatic = document.getElementById('providers-chosen');
  automatic.replaceChildren();
  for (const [service, address] of Object.entries(providers.chosen)) {
    const item = el('li');
    item.append(el('strong', service + ': '), address ? addressElement(address) : el('span', 'none connected', 'muted'));
    const button = actionButton('Let the node choose', 'auto-' + service, b => chooseProvider(service, null, b));
    button.className = 'link';
    item.append(' ', button);
    automatic.append(item);
  }
}

const ETH_ASSET = { symbol: 'ETH', decimals: 18 };

function planElement(provider, plan) {
  const line = el('span', null, 'block');
  const fee = plan.monthly === null ? formatAmount(plan.price, plan.asset) + ' per ' + period(plan.periodSeconds)
    : formatAmount(plan.monthly, plan.asset) + ' a month';
  line.append(el('span', 'Plan ' + plan.planId + ': ' + fee, 'amount'), ' ');
  const button = actionButton('Subscribe…', 'subscribe-' + provider.address + '-' + plan.planId,
    b => subscribe(provider.address, String(plan.planId), b));
  button.className = 'secondary small';
  line.append(button);
  return line;
}

async function chooseProvider(service, address, button) {
  const question = el('p', address
    ? 'Send your ' + service + ' traffic to ' + address + '?'
    : 'Let your node choose the ' + service + ' provider again, by score?', 'question');
  question.id = 'choose-question';
  const details = el('p', 'Until your node restarts. What you owe the one it leaves is still paid; nothing is paid '
    + 'twice.', 'muted');
  if (!await confirmAction('Choose a provider', [question, details], address ? 'Use it' : 'Let the node choose')) {
    say('info', 'Nothing changed.');
    return;
  }
  try {
    const pin = await inProgress(button, 'Switching ' + service + '…', () => api('PUT', '/api/services/'
      + encodeURIComponent(service) + '/provider', { provider: address }));
    const now = pin.chosen ? 'new ' + service + ' traffic goes to ' + shortAddress(pin.chosen) + ' now'
      : 'none is connected, so new ' + service + ' traffic waits until one is';
    say('success', pin.pinned ? 'The ' + service + ' service is pinned to ' + shortAddress(pin.pinned) + '; ' + now + '.'
      : 'Your node chooses the ' + service + ' provider by itself again; ' + now + '.');
  } catch (e) {
    failed('The provider was not changed', e);
  }
  await refresh();
}

// ------------------------------------------------------------------ subscribing

/** Asks how many months, then the price and the date, then pays: nothing is sent before the second answer. */
async function subscribe(provider, planId, button) {
  const input = el('input');
  input.id = 'subscribe-months';
  input.type = 'number';
  input.min = '1';
  input.step = '1';
  input.value = '1';
  input.inputMode = 'numeric';
  const label = el('label', 'How many months (30 days each)');
  label.htmlFor = input.id;
  const intro = el('p', 'Plan ' + planId + ' of ' + provider + '. The next question shows the price and the date it '
    + 'runs until; nothing is paid before you confirm that.', 'muted');
  if (!await confirmAction('Subscribe', [intro, label, input], 'Show the price')) {
    return;
  }
  const months = Number(input.value);
  if (!Number.isInteger(months) || months < 1) {
    say('error', 'Give a whole number of months, 1 or more. Nothing was paid.');
    return;
  }
  const order = { provider, planId, months };
  let quote;
  try {
    quote = await api('POST', '/api/subscriptions', order);
  } catch (e) {
    failed('Cannot subscribe to ' + shortAddress(provider), e);
    return;
  }
  const price = formatAmount(quote.price, quote.asset);
  const question = el('p', 'Pay ' + price + ' for ' + count(months, 'month') + ' until ' + dayOf(quote.expiresAt)
    + '?', 'question');
  question.id = 'subscribe-question';
  const details = el('p', 'It goes to ' + provider + ' from your wallet, in one transaction on chain; the page waits '
    + 'until the chain confirms it. A renewal counts on from the current end.', 'muted');
  if (!await confirmAction('Subscribe', [question, details], 'Pay ' + price)) {
    say('info', 'Nothing was paid.');
    return;
  }
  try {
    const paid = await inProgress(button, 'Paying ' + price + ' to ' + shortAddress(provider)
      + '; waiting for the chain to confirm it…', () => api('POST', '/api/subscriptions',
      Object.assign({ confirm: true }, order)));
    say('success', 'Subscribed: plan ' + paid.planId + ' of ' + shortAddress(paid.provider) + ' runs until '
      + localTime(paid.expiresAt) + '. Paid ' + formatAmount(paid.price, paid.asset) + '.');
  } catch (e) {
    failed('The subscription was not paid', e);
  }
  await refresh();
}

const SUBSCRIPTION_STATES = { running: 'Running', ending: 'Ends this week', ended: 'Ended' };

function renderSubscriptions(subscriptions) {
  fillTable('subscriptions-table', 'subscriptions-empty', subscriptions.subscriptions, (row, subscription) => {
    row.dataset.subscription = subscription.provider + '-' + subscription.planId;
    cell(row, 'Provider', addressElement(subscription.provider));
    cell(row, 'Plan', subscription.planId);
    const ends = [el('span', localTime(subscription.expiresAt)), el('span', relative(subscription.expiresAt),
      'muted block')];
    cell(row, 'Runs until', ends);
    cell(row, 'State', el('span', SUBSCRIPTION_STATES[subscription.state] || subscription.state,
      'badge ' + (subscription.state === 'running' ? 'open' : 'closed')));
    const actions = cell(row, 'Actions', [], 'actions');
    const button = actionButton('Renew…', 'renew-' + subscription.provider + '-' + subscription.planId,
      b => subscribe(subscription.provider, subscription.planId, b));
    button.setAttribute('aria-label', 'Renew plan ' + subscription.planId + ' of ' + subscription.provider);
    actions.append(button);
  });
}

// ------------------------------------------------------------------ selling

/** The month's earnings: a bar per day (one colour per service, stacked), a table of the days, and the total. */
function renderEarnings(earnings) {
  const asset = earnings.asset;
  const first = Date.parse(earnings.from + 'T00:00:00Z');
  const days = Math.round((Date.parse(earnings.to + 'T00:00:00Z') - first) / DAY_MS) + 1;
  const perDay = new Array(days).fill(null).map(() => new Map());
  let total = 0n;
  for (const entry of earnings.days) {
    const index = Math.round((Date.parse(entry.day + 'T00:00:00Z') - first) / DAY_MS);
    if (index < 0 || index >= days) {
      continue; // outside the span the node answered for
    }
    perDay[index].set(entry.service, BigInt(entry.earned.value));
    total += BigInt(entry.earned.value);
  }
  const dayTotals = perDay.map(services => [...services.values()].reduce((a, b) => a + b, 0n));
  const highest = dayTotals.reduce((a, b) => (b > a ? b : a), 0n);
  document.getElementById('earnings-total').textContent = formatValue(total, asset) + ' in the last '
    + count(days, 'day');
  document.getElementById('earnings-chart').replaceChildren(chart(perDay, highest, earnings.from, earnings.to));
  const services = [...new Set(earnings.days.map(d => d.service))];
  const legend = document.getElementById('earnings-legend');
  legend.replaceChildren(...services.map(service => {
    const item = el('li', service);
    item.prepend(el('span', '', 'swatch ' + (SERVICE_COLOURS[service] || 'series-4')));
    return item;
  }));
  const shown = [];
  perDay.forEach((services, i) => {
    if (dayTotals[i] > 0n) {
      shown.push({ day: new Date(first + i * DAY_MS).toISOString().slice(0, 10), services, total: dayTotals[i] });
    }
  });
  fillTable('earnings-table', 'earnings-empty', shown.reverse(), (row, day) => {
    cell(row, 'Day', day.day);
    cell(row, 'Services', [...day.services.entries()].map(([service, value]) =>
      el('span', service + ' ' + formatValue(value, asset), 'block')));
    cell(row, 'Earned', el('span', formatValue(day.total, asset), 'amount'), 'num');
  });
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

/** Bars scaled to the best day, exactly proportioned in BigInt then drawn to the nearest pixel. */
function chart(perDay, highest, from, to) {
  const width = 600;
  const height = 120;
  const slot = width / perDay.length;
  const figure = svg('svg', { viewBox: '0 0 ' + width + ' ' + (height + 16), role: 'img', class: 'chart' });
  figure.append(svg('title', {}));
  figure.firstChild.textContent = 'Earnings per day from ' + from + ' to ' + to;
  figure.append(svg('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }));
  perDay.forEach((services, i) => {
    let top = height;
    for (const [service, value] of services) {
      const size = highest === 0n ? 0 : Number(value * 1000n / highest) * height / 1000;
      top -= size;
      const bar = svg('rect', { x: (i * slot + 1).toFixed(1), y: top.toFixed(1), width: (slot - 2).toFixed(1),
        height: size.toFixed(1), class: 'bar ' + (SERVICE_COLOURS[service] || 'series-4') });
      bar.append(svg('title', {}));
      bar.firstChild.textContent = service + ': ' + formatValue(value, view.status ? view.status.asset : ETH_ASSET);
      figure.append(bar);
    }
  });
  const label = (text, x, anchor) => {
    const t = svg('text', { x, y: height + 13, 'text-anchor': anchor, class: 'chart-label' });
    t.textContent = text;
    return t;
  };
  figure.append(label(from, 0, 'start'), label(to, width, 'end'));
  return figure;
}

/** What this node sells and at what price, and each client's standing with it. */
function renderSelling(peers) {
  const services = view.services;
  const asset = peers.asset;
  const prices = document.getElementById('selling-prices');
  prices.replaceChildren();
  if (services && services.sold.length) {
    for (const service of services.sold) {
      prices.append(el('li', service.service + ': ' + naturalPrice(service.price, service.unit, asset)));
    }
    if (services.paymentThreshold !== null) {
      prices.append(el('li', 'Clients pay before they owe ' + formatAmount(services.paymentThreshold, asset)
        + '; above ' + formatValue(BigInt(services.paymentThreshold.value) * 5n / 4n, asset)
        + ' they are slowed to the free tier until they pay.', 'muted'));
    }
  } else {
    prices.append(el('li', 'This node sells nothing (turnpike.provider.enabled).', 'muted'));
  }
  const clients = peers.peers.filter(p => p.role === 'client');
  fillTable('clients-table', 'clients-empty', clients, (row, client) => {
    row.dataset.client = client.address;
    cell(row, 'Client', [addressElement(client.address), ' ', el('span', client.connected ? 'online' : 'offline',
      client.connected ? 'dot on' : 'dot off')]);
    cell(row, 'Standing', el('span', client.tier === 'free' ? 'Free (slowed until it pays)' : 'Paid',
      'badge ' + (client.tier === 'free' ? 'closed' : 'open')));
    cell(row, 'Used', amountElement(client.used, asset), 'num');
    cell(row, 'Paid', amountElement(client.paid, asset), 'num');
    cell(row, 'Owes you', amountElement(client.owed, asset), 'num owed');
  });
}

// ------------------------------------------------------------------ towers

function renderTowers(towers) {
  fillTable('towers-table', 'towers-empty', towers.towers, (row, tower) => {
    row.dataset.tower = tower.address;
    cell(row, 'Tower', [addressElement(tower.address), el('span', tower.url, 'muted block mono wrap')]);
    cell(row, 'Reward', amountElement(tower.reward, ETH_ASSET), 'num');
    cell(row, 'Holds', tower.held.length === 0 ? el('span', 'nothing yet', 'muted')
      : tower.held.map(h => el('span', 'channel ' + h.channelId + ' up to payment ' + h.nonce
        + (h.receivedAt ? ', receipt ' + localTime(h.receivedAt) : ''), 'block')));
    cell(row, 'Last problem', tower.lastError === null ? el('span', 'none', 'muted')
      : el('span', localTime(tower.lastError.at) + ': ' + sentence(tower.lastError.problem), 'warning-text'));
  });
}

PARTS.push(
  { name: 'providers', path: '/api/providers', section: 'providers', render: renderProviders },
  { name: 'subscriptions', path: '/api/subscriptions', section: 'subscriptions', render: renderSubscriptions,
    everyMinute: true },
  { name: 'earnings', path: '/api/earnings', section: 'selling', render: renderEarnings },
  // The clients' standing is the peers' figures; read again here so the selling screen renders on its own.
  { name: 'clients', path: '/api/peers', section: 'selling', render: renderSelling },
  { name: 'towers', path: '/api/towers', section: 'towers', render: renderTowers });
