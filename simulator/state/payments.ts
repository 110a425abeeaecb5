import { createHash } from 'node:crypto';
import type { PaymentIntentJson, PaymentMethodJson } from '../types';
import type { AccountRecord } from './accounts';
import { newId } from './ids';

// PaymentIntents paid by ACH Direct Debit (ach-direct-debit-payments.md, "Finding the Financial
// Connections Account ID"): the FC account id sits on the expanded payment method at
// payment_method.us_bank_account.financial_connections_account, and is null when the customer
// entered their bank details manually.

export interface PaymentIntentRecord {
  intent: Omit<PaymentIntentJson, 'payment_method'>;
  paymentMethodId: string;
}

export class PaymentStore {
  private readonly intents = new Map<string, PaymentIntentRecord>();
  private readonly methods = new Map<string, PaymentMethodJson>();

  create(input: {
    id?: string | undefined;
    account: AccountRecord | null;
    amount: number;
    currency: string;
    status: PaymentIntentJson['status'];
    now: number;
  }): PaymentIntentRecord {
    const { account, now } = input;
    const last4 = account?.last4 ?? '6789';
    const method: PaymentMethodJson = {
      allow_redisplay: 'unspecified',
      billing_details: {
        address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
        email: null,
        name: 'Jenny Rosen',
        phone: null,
        tax_id: null,
      },
      created: now,
      customer: account?.customer ?? null,
      customer_account: null,
      id: newId('pm'),
      livemode: false,
      metadata: {},
      object: 'payment_method',
      type: 'us_bank_account',
      us_bank_account: {
        account_holder_type: 'individual',
        account_type: account?.subcategory === 'savings' ? 'savings' : 'checking',
        bank_name: account ? account.institutionName.toUpperCase() : 'STRIPE TEST BANK',
        financial_connections_account: account?.id ?? null,
        fingerprint: createHash('sha256').update(`${account?.id ?? 'manual'}:${last4}`).digest('base64url').slice(0, 16),
        last4,
        networks: { preferred: 'ach', supported: ['ach'] },
        routing_number: '110000000',
        status_details: {},
      },
    };
    const id = input.id ?? newId('pi');
    const intent: PaymentIntentRecord['intent'] = {
      amount: input.amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: input.status === 'succeeded' ? input.amount : 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: `${id}_secret_${newId('x', 25).slice(2)}`,
      confirmation_method: 'automatic',
      created: now,
      currency: input.currency,
      customer: account?.customer ?? null,
      customer_account: null,
      description: null,
      excluded_payment_method_types: null,
      id,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: { enabled: false },
      metadata: {},
      next_action: null,
      object: 'payment_intent',
      on_behalf_of: null,
      payment_method_configuration_details: null,
      payment_method_options: {
        us_bank_account: {
          financial_connections: { permissions: account ? [...account.permissions] : ['payment_method'], prefetch: [] },
          verification_method: 'automatic',
        },
      },
      payment_method_types: ['us_bank_account'],
      processing: null,
      receipt_email: null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: input.status,
      transfer_data: null,
      transfer_group: null,
    };
    const record: PaymentIntentRecord = { intent, paymentMethodId: method.id };
    this.methods.set(method.id, method);
    this.intents.set(id, record);
    return record;
  }

  has(id: string): boolean {
    return this.intents.has(id);
  }

  /** Unexpanded, payment_method is the pm id; `expand[]=payment_method` embeds the object. */
  renderIntent(id: string, expandPaymentMethod: boolean): PaymentIntentJson | undefined {
    const record = this.intents.get(id);
    if (!record) return undefined;
    const method = this.methods.get(record.paymentMethodId);
    return {
      ...structuredClone(record.intent),
      payment_method: expandPaymentMethod && method ? structuredClone(method) : record.paymentMethodId,
    };
  }

  method(id: string): PaymentMethodJson | undefined {
    const method = this.methods.get(id);
    return method ? structuredClone(method) : undefined;
  }

  clear(): void {
    this.intents.clear();
    this.methods.clear();
  }
}
