// An x402 resource server made with @x402/express, selling GET /weather, that uses the facilitator at
// FACILITATOR_URL to verify and settle. Prints "listening PORT" once it serves; stops on SIGTERM.
//   FACILITATOR_URL=… NETWORK=eip155:… ASSET=0x… PAY_TO=0x… AMOUNT=1000 TOKEN_NAME=… TOKEN_VERSION=…
//   node tools/x402/express-server.mjs
import express from 'express';
import { paymentMiddleware, x402ResourceServer } from '@x402/express';
import { HTTPFacilitatorClient } from '@x402/core/server';
import { ExactEvmScheme } from '@x402/evm/exact/server';

const env = process.env;
const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: env.FACILITATOR_URL }))
  .register(env.NETWORK, new ExactEvmScheme());
const app = express();
app.use(paymentMiddleware({
  'GET /weather': {
    accepts: {
      scheme: 'exact',
      network: env.NETWORK,
      payTo: env.PAY_TO,
      // An amount in the token's units: a price in dollars would need a token x402 knows on that network.
      price: { amount: env.AMOUNT, asset: env.ASSET, extra: { name: env.TOKEN_NAME, version: env.TOKEN_VERSION } },
      maxTimeoutSeconds: 120,
    },
    description: 'Today\'s weather',
    mimeType: 'application/json',
  },
}, server));
app.get('/weather', (req, res) => res.json({ weather: 'sunny' }));
const listener = app.listen(0, '127.0.0.1', () => console.log(`listening ${listener.address().port}`));
process.on('SIGTERM', () => listener.close(() => process.exit(0)));
