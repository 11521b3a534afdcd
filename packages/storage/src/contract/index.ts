/**
 * The storage contract suite: every adapter must pass it (the pattern of aedes-persistence's
 * abstract tests). An adapter's test file calls {@link defineStoreContractTests} with a harness.
 * This entry (`@vigil/storage/contract`) imports Vitest; production code never imports it.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../ports/index.js';
import type { ContractContext, ContractOpenOptions, StoreContractHarness } from './harness.js';
import { registryContract } from './registry.js';
import { accessPoliciesContract } from './access-policies.js';
import { twinsAndQueuesContract } from './twins-c2d.js';
import { findingsContract } from './findings.js';
import { ingestLogContract } from './ingest-log.js';
import { lifecycleContract } from './lifecycle.js';
import { transactionsContract } from './transactions.js';

export type { StoreContractHarness, ContractOpenOptions, ContractContext } from './harness.js';

/** Registers the whole contract suite for one adapter under `describe(name)`. */
export function defineStoreContractTests(name: string, harness: StoreContractHarness): void {
  describe(name, () => {
    const opened: Store[] = [];
    const context: ContractContext = {
      harness,
      async open(options?: ContractOpenOptions) {
        const store = await harness.open(options);
        opened.push(store);
        return store;
      },
    };
    beforeEach(() => harness.fresh());
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((store) => store.close()));
    });
    registryContract(context);
    accessPoliciesContract(context);
    twinsAndQueuesContract(context);
    findingsContract(context);
    ingestLogContract(context);
    lifecycleContract(context);
    transactionsContract(context);
  });
}
