// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Typed custom search attributes so the Web UI can filter refreshes by account, feature and status.
// `fc-refresh setup` and the test harness register them on the namespace.
export const FC_ACCOUNT_ID = defineSearchAttributeKey('FcAccountId', SearchAttributeType.KEYWORD);
export const FC_FEATURE = defineSearchAttributeKey('FcFeature', SearchAttributeType.KEYWORD);
export const FC_REFRESH_STATUS = defineSearchAttributeKey('FcRefreshStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS];
