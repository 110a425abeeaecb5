import type { OwnerInput } from '../control-types';
import { paginate, type PageParams } from '../http/pagination';
import type { FcOwner, FcOwnership, StripeList } from '../types';
import { newId } from './ids';
import type { Rng } from './random';

// Ownership (ownership.md): each successful ownership refresh yields a new ownership object
// (fcaowns_...) whose owners (fcaown_...) carry `refreshed_at`; the account's `ownership` field then
// points at it. Older ownerships stay listable through /accounts/:id/owners?ownership=... .

export interface OwnershipRecord {
  id: string;
  accountId: string;
  created: number;
  owners: FcOwner[];
}

const FIRST = ['Jenny', 'Jane', 'John', 'Maria', 'Wei', 'Aisha', 'Carlos', 'Priya', 'Tom', 'Olga'];
const LAST = ['Rosen', 'Smith', 'Doe', 'Garcia', 'Chen', 'Khan', 'Silva', 'Patel', 'Brown', 'Ivanova'];
const STREETS = ['510 Townsend St', '123 Main Street', '1 Market St', '742 Evergreen Terrace', '55 Water St'];
const CITIES = ['San Francisco, CA 94103', 'Everytown, NY 10001', 'Springfield, IL 62701', 'Austin, TX 73301'];

export function generateOwners(rng: Rng, count: number): OwnerInput[] {
  const owners: OwnerInput[] = [];
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    owners.push({
      name: `${first} ${last}`,
      email: rng.chance(0.8) ? `${first}.${last}@example.com`.toLowerCase() : null,
      phone: rng.chance(0.8) ? `+1 555-555-${String(rng.int(0, 9999)).padStart(4, '0')}` : null,
      raw_address: rng.chance(0.9) ? `${rng.pick(STREETS)} ${rng.pick(CITIES)}` : null,
    });
  }
  return owners;
}

export class OwnershipStore {
  private readonly byId = new Map<string, OwnershipRecord>();

  /** A successful ownership refresh: snapshot the configured owners under a fresh ownership id. */
  create(accountId: string, owners: readonly OwnerInput[], now: number): OwnershipRecord {
    const id = newId('fcaowns');
    const record: OwnershipRecord = {
      id,
      accountId,
      created: now,
      owners: owners.map((owner) => ({
        email: owner.email ?? null,
        id: newId('fcaown'),
        name: owner.name,
        object: 'financial_connections.account_owner',
        ownership: id,
        phone: owner.phone ?? null,
        raw_address: owner.raw_address ?? null,
        refreshed_at: now,
      })),
    };
    this.byId.set(id, record);
    return record;
  }

  get(id: string): OwnershipRecord | undefined {
    return this.byId.get(id);
  }

  ownersUrl(accountId: string, ownershipId: string): string {
    return `/v1/financial_connections/accounts/${accountId}/owners?ownership=${ownershipId}`;
  }

  listOwners(record: OwnershipRecord, page: PageParams): StripeList<FcOwner> {
    return paginate(record.owners, page, this.ownersUrl(record.accountId, record.id), 'financial_connections.account_owner');
  }

  /** The `expand[]=ownership` form: the ownership with the first page (10) of its owners embedded. */
  render(record: OwnershipRecord): FcOwnership {
    return {
      created: record.created,
      id: record.id,
      object: 'financial_connections.account_ownership',
      owners: this.listOwners(record, { limit: 10 }),
    };
  }

  clear(): void {
    this.byId.clear();
  }
}
