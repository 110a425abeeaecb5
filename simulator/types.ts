// Wire shapes the simulator emits. They follow Stripe's own example objects
// (openapi fixtures3: financial_connections.account, account_owner, account_ownership, transaction,
// payment_intent, payment_method, event) key for key, so the official SDK and real integrations
// cannot tell the simulator from api.stripe.com.

export const FEATURES = ['balance', 'ownership', 'transactions'] as const;
export type Feature = (typeof FEATURES)[number];

export const PERMISSIONS = ['balances', 'ownership', 'transactions', 'payment_method'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Docs: "a refresh of <feature> requires the <permission> permission" (balances.md, ownership.md, transactions.md). */
export const FEATURE_PERMISSION: Record<Feature, Permission> = {
  balance: 'balances',
  ownership: 'ownership',
  transactions: 'transactions',
};

export const REFRESHED_EVENT: Record<Feature, EventType> = {
  balance: 'financial_connections.account.refreshed_balance',
  ownership: 'financial_connections.account.refreshed_ownership',
  transactions: 'financial_connections.account.refreshed_transactions',
};

export type AccountStatus = 'active' | 'inactive' | 'disconnected';
export type Category = 'cash' | 'credit';
export type RefreshStatus = 'pending' | 'succeeded' | 'failed';
export type CurrencyMap = Record<string, number>;

export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/**
 * The refresh hash's `error` (docs: "In the unlikely event that a refresh fails, the error field on the refresh
 * hash is a preview feature that provides the cause of the failure and recommended next steps"). Its shape is
 * not public; the simulator sends {code, message} when an account's `refreshErrors` option is on.
 */
export interface RefreshError {
  code: 'institution_unavailable' | 'account_inactive';
  message: string;
}

export interface RefreshHash {
  /** Only with the `refreshErrors` option: the failure's cause on a failed refresh, else null. */
  error?: RefreshError | null;
  last_attempted_at: number;
  next_refresh_available_at: number | null;
  status: RefreshStatus;
}

export interface TransactionRefreshHash extends RefreshHash {
  id: string;
}

/** Polymorphic by `type` (balances.md): a `cash` balance carries `cash.available`, a `credit` one `credit.used`. */
export type FcBalance =
  | { as_of: number; cash: { available: CurrencyMap | null }; current: CurrencyMap; type: 'cash' }
  | { as_of: number; credit: { used: CurrencyMap | null }; current: CurrencyMap; type: 'credit' };

export interface FcOwner {
  email: string | null;
  id: string;
  name: string;
  object: 'financial_connections.account_owner';
  ownership: string;
  phone: string | null;
  raw_address: string | null;
  refreshed_at: number | null;
}

export interface FcOwnership {
  created: number;
  id: string;
  object: 'financial_connections.account_ownership';
  owners: StripeList<FcOwner>;
}

export interface FcAccount {
  account_holder: { customer: string; type: 'customer' };
  account_numbers: null;
  balance: FcBalance | null;
  balance_refresh: RefreshHash | null;
  category: Category;
  created: number;
  display_name: string;
  id: string;
  institution_name: string;
  last4: string;
  livemode: boolean;
  object: 'financial_connections.account';
  ownership: string | FcOwnership | null;
  ownership_refresh: RefreshHash | null;
  permissions: Permission[];
  status: AccountStatus;
  subcategory: string;
  subscriptions: 'transactions'[];
  supported_payment_method_types: string[];
  transaction_refresh: TransactionRefreshHash | null;
}

export type TransactionStatus = 'pending' | 'posted' | 'void';

export interface FcTransaction {
  account: string;
  amount: number;
  currency: string;
  description: string;
  id: string;
  livemode: boolean;
  object: 'financial_connections.transaction';
  status: TransactionStatus;
  status_transitions: { posted_at: number | null; void_at: number | null };
  transacted_at: number;
  transaction_refresh: string;
  updated: number;
}

export const EVENT_TYPES = [
  'financial_connections.account.created',
  'financial_connections.account.deactivated',
  'financial_connections.account.reactivated',
  'financial_connections.account.disconnected',
  'financial_connections.account.refreshed_balance',
  'financial_connections.account.refreshed_ownership',
  'financial_connections.account.refreshed_transactions',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface StripeEventJson {
  api_version: string | null;
  created: number;
  data: { object: FcAccount };
  id: string;
  livemode: boolean;
  object: 'event';
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: EventType;
}

export interface UsBankAccountJson {
  account_holder_type: 'individual' | 'company';
  account_type: 'checking' | 'savings';
  bank_name: string;
  financial_connections_account: string | null;
  fingerprint: string;
  last4: string;
  networks: { preferred: 'ach'; supported: string[] };
  routing_number: string;
  status_details: Record<string, never>;
}

export interface BillingAddressJson {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

/** A us_bank_account PaymentMethod: the per-type sub-hash is `us_bank_account` where the card fixture has `card`. */
export interface PaymentMethodJson {
  allow_redisplay: 'unspecified';
  billing_details: {
    address: BillingAddressJson;
    email: string | null;
    name: string | null;
    phone: string | null;
    tax_id: string | null;
  };
  created: number;
  customer: string | null;
  customer_account: null;
  id: string;
  livemode: boolean;
  metadata: Record<string, string>;
  object: 'payment_method';
  type: 'us_bank_account';
  us_bank_account: UsBankAccountJson;
}

export interface PaymentIntentJson {
  amount: number;
  amount_capturable: number;
  amount_details: { tip: Record<string, never> };
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: null;
  canceled_at: null;
  cancellation_reason: null;
  capture_method: 'automatic';
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: string | null;
  customer_account: null;
  description: string | null;
  excluded_payment_method_types: null;
  id: string;
  last_payment_error: null;
  latest_charge: null;
  livemode: boolean;
  managed_payments: { enabled: boolean };
  metadata: Record<string, string>;
  next_action: null;
  object: 'payment_intent';
  on_behalf_of: null;
  payment_method: string | PaymentMethodJson | null;
  payment_method_configuration_details: null;
  payment_method_options: {
    us_bank_account: {
      financial_connections: { permissions: Permission[]; prefetch: Feature[] };
      verification_method: 'automatic' | 'instant';
    };
  };
  payment_method_types: ['us_bank_account'];
  processing: null;
  receipt_email: null;
  review: null;
  setup_future_usage: null;
  shipping: null;
  source: null;
  statement_descriptor: null;
  statement_descriptor_suffix: null;
  status: 'processing' | 'succeeded' | 'requires_payment_method';
  transfer_data: null;
  transfer_group: null;
}

export interface StripeErrorBody {
  error: { type: string; code?: string; message: string; param?: string; doc_url?: string };
}
