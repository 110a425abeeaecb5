import type { Simulator } from './simulator';

// SIMULATOR_DEMO=1: a few linked accounts to click through without writing setup code.
// Fixed ids so READMEs and curl snippets can name them.

export const DEMO_IDS = {
  checking: 'fca_demoChecking',
  credit: 'fca_demoCredit',
  prefetched: 'fca_demoPrefetched',
  inactive: 'fca_demoInactive',
  paymentIntent: 'pi_demoLinked',
  manualPaymentIntent: 'pi_demoManual',
} as const;

export function seedDemo(sim: Simulator): void {
  sim.createAccount({
    id: DEMO_IDS.checking,
    customer: 'cus_demo',
    category: 'cash',
    institutionName: 'StripeBank',
    balance: { current: { usd: 125_000 }, available: { usd: 120_000 } },
    owners: [{ name: 'Jenny Rosen', email: 'jenny.rosen@example.com', phone: '+1 555-555-5555', raw_address: '510 Townsend St San Francisco, CA 94103' }],
    transactionCount: 30,
  });
  sim.createAccount({
    id: DEMO_IDS.credit,
    customer: 'cus_demo',
    category: 'credit',
    institutionName: 'StripeBank',
    balance: { current: { usd: -42_000 }, used: { usd: -42_000 } },
    transactionCount: 15,
  });
  sim.createAccount({
    id: DEMO_IDS.prefetched,
    customer: 'cus_demo',
    category: 'cash',
    prefetch: ['balance', 'ownership', 'transactions'],
    subscriptions: ['transactions'],
  });
  sim.createAccount({ id: DEMO_IDS.inactive, customer: 'cus_demo', category: 'cash', status: 'inactive' });
  sim.createPaymentIntent({ id: DEMO_IDS.paymentIntent, accountId: DEMO_IDS.checking });
  sim.createPaymentIntent({ id: DEMO_IDS.manualPaymentIntent, accountId: null });
}
