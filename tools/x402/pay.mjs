// Pays for one GET with the real x402 client packages, as any x402 client would, and prints what came back as one
// JSON line: {status, body, paymentResponse}. Turnpike's tests run it against the paywall and the facilitator.
//   PAYER_KEY=0x… ASSET=0x… NETWORK=eip155:… node tools/x402/pay.mjs v2 URL   @x402/fetch + @x402/evm (any chain)
//   PAYER_KEY=0x… node tools/x402/pay.mjs v1 URL [NETWORK]  x402-fetch (v1 names only; default base-sepolia)
// COUNT=n pays for up to n GETs one after the other, stopping at the first that is not 200, and adds {count, ms}:
// how many were paid and how long they took together (Turnpike's demo).
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { privateKeyToAccount } from 'viem/accounts';
import * as v1 from 'x402-fetch';

const [version, url, network = 'base-sepolia'] = process.argv.slice(2);
const key = process.env.PAYER_KEY;
if (!key || !url || !['v1', 'v2'].includes(version)) {
  console.error('usage: PAYER_KEY=0x… node pay.mjs v1|v2 URL [NETWORK]');
  process.exit(64);
}

const count = Number(process.env.COUNT ?? '1');
let pay;
let responseHeader;
if (version === 'v2') {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: privateKeyToAccount(key) });
  // The client pays only in tokens it is told to trust, up to a cap per payment: here the test token.
  client.setSpendControls({ allowedAssets: [{ network: process.env.NETWORK, asset: process.env.ASSET,
    maxAmountPerPayment: process.env.MAX_VALUE ?? '100000' }] });
  pay = wrapFetchWithPayment(fetch, client);
  responseHeader = 'PAYMENT-RESPONSE';
} else {
  // The signer's chain decides which v1 network it pays on; the paywall's local chain carries that chain id.
  const signer = await v1.createSigner(network, key);
  const maxValue = BigInt(process.env.MAX_VALUE ?? '100000');
  pay = v1.wrapFetchWithPayment(fetch, signer, maxValue);
  responseHeader = 'X-PAYMENT-RESPONSE';
}
const started = Date.now();
let result;
let paid = 0;
for (let n = 0; n < count; n++) {
  const response = await pay(url);
  const header = response.headers.get(responseHeader);
  const body = await response.text();
  const paymentResponse = header ? JSON.parse(Buffer.from(header, 'base64').toString('utf8')) : null;
  result = { status: response.status, body, paymentResponse };
  if (response.status !== 200) {
    break;
  }
  paid++;
}
console.log(JSON.stringify(process.env.COUNT ? { ...result, count: paid, ms: Date.now() - started } : result));
