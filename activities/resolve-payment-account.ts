import type Stripe from 'stripe';
import type { PaymentResolutionFailure } from '../workflows/balance-check-definitions';
import type { ActivityDeps } from './deps';
import { stripeCode, toActivityFailure } from './stripe-errors';

export type PaymentAccountResolution =
  | { resolved: true; accountId: string; paymentMethodId: string }
  | { resolved: false; failure: PaymentResolutionFailure; paymentMethodId: string | null };

export type PaymentReference = { type: 'payment_intent'; id: string } | { type: 'payment_method'; id: string };

/**
 * Finds the FC account an ACH payment will debit. "The Financial Connections account ID is on the expanded
 * payment method's `us_bank_account` hash … If … the user manually entered their account information, this
 * field is `null`." Every way a payment can fail to name an account is a typed answer, not an error.
 */
export function createResolvePaymentAccount({ stripe }: ActivityDeps) {
  return async function resolvePaymentAccount(reference: PaymentReference): Promise<PaymentAccountResolution> {
    try {
      if (reference.type === 'payment_method') return accountOf(await stripe.paymentMethods.retrieve(reference.id));
      const intent = await stripe.paymentIntents.retrieve(reference.id, { expand: ['payment_method'] });
      if (intent.payment_method === null) return { resolved: false, failure: 'payment_method_missing', paymentMethodId: null };
      const method = typeof intent.payment_method === 'string' ? await stripe.paymentMethods.retrieve(intent.payment_method) : intent.payment_method;
      return accountOf(method);
    } catch (err) {
      if (stripeCode(err) === 'resource_missing') {
        const failure = reference.type === 'payment_intent' ? 'payment_intent_not_found' : 'payment_method_not_found';
        return { resolved: false, failure, paymentMethodId: null };
      }
      throw toActivityFailure(err, { accountId: reference.id, operation: `resolve ${reference.type.replace('_', ' ')}` });
    }
  };
}

function accountOf(method: Stripe.PaymentMethod): PaymentAccountResolution {
  if (method.type !== 'us_bank_account' || !method.us_bank_account) {
    return { resolved: false, failure: 'not_us_bank_account', paymentMethodId: method.id };
  }
  const accountId = method.us_bank_account.financial_connections_account;
  if (!accountId) return { resolved: false, failure: 'manual_entry_no_fc_account', paymentMethodId: method.id };
  return { resolved: true, accountId, paymentMethodId: method.id };
}
