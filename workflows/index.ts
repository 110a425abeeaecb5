// Every workflow the worker registers (its workflowsPath bundle entry).
export { refreshWorkflow } from './refresh';
