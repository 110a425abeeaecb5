// Every workflow the worker registers (its workflowsPath bundle entry).
export { refreshWorkflow } from './refresh';
export { accountWorkflow } from './account';
export { dailySyncWorkflow } from './daily-sync';
export { syncBatchWorkflow } from './sync-batch';
export { checkBalanceWorkflow } from './check-balance';
export { verifyOwnershipWorkflow } from './verify-ownership';
export { consumerNotificationsWorkflow } from './consumer-notifications';
export { pruneRetainedDataWorkflow } from './prune-retained-data';
