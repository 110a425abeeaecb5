import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TypedSearchAttributes, type SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { Command } from 'commander';
import { loadConfig } from '../../common/node/config';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/search-attributes';
import { EXIT_NOT_SUCCEEDED, EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function setupCommand(): Command {
  return new Command('setup')
    .description('register the FcAccountId, FcFeature and FcRefreshStatus search attributes on the namespace')
    .action(
      runAction(async () => {
        const config = loadConfig(['temporal']);
        // Temporal Cloud does not serve the operator API to API-key callers: attributes are added per namespace there.
        if (config.temporal.connectionOptions.apiKey !== undefined) {
          process.stdout.write(cloudInstructions(config.temporal.namespace));
          return EXIT_OK;
        }
        return withTemporalClient(async (client) => {
          const operator = client.connection.operatorService;
          const namespace = config.temporal.namespace;
          const { customAttributes } = await operator.listSearchAttributes({ namespace });
          const existing = customAttributes ?? {};
          const conflicting = ALL_SEARCH_ATTRIBUTES.filter(
            (key) => key.name in existing && existing[key.name] !== indexedValueTypeOf(key),
          );
          if (conflicting.length > 0) {
            for (const key of conflicting) {
              process.stderr.write(`fc-refresh: ${key.name} exists on ${namespace} with another type; it must be ${TypedSearchAttributes.toMetadataType(key.type)}\n`);
            }
            return EXIT_NOT_SUCCEEDED;
          }
          const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !(key.name in existing));
          if (missing.length === 0) {
            process.stdout.write(`search attributes already registered on ${namespace}\n`);
            return EXIT_OK;
          }
          await operator.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypeOf(key)])),
          });
          process.stdout.write(`registered ${missing.map((key) => key.name).join(', ')} on ${namespace}\n`);
          return EXIT_OK;
        });
      }),
    );
}

function cloudInstructions(namespace: string): string {
  const flags = ALL_SEARCH_ATTRIBUTES.map((key) => `--sa "${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}"`).join(' ');
  return [
    `Temporal Cloud: add these search attributes to ${namespace} in the Cloud UI (Namespaces → ${namespace} → Search Attributes)`,
    ...ALL_SEARCH_ATTRIBUTES.map((key) => `  ${key.name}: ${TypedSearchAttributes.toMetadataType(key.type)}`),
    'or with tcld:',
    `  tcld namespace search-attributes add --namespace ${namespace} ${flags}`,
    '',
  ].join('\n');
}

type IndexedValueType = NonNullable<ReturnType<typeof encodeSearchAttributeIndexedValueType>>;

/** The operator API names types by proto enum; every SearchAttributeType has one. */
function indexedValueTypeOf(key: SearchAttributeKey<SearchAttributeType>): IndexedValueType {
  const type = encodeSearchAttributeIndexedValueType(key.type);
  if (type === undefined) throw new Error(`search attribute ${key.name} has no indexed value type for ${key.type}`);
  return type;
}
