export declare const TEMPORAL_CLI_MODULE: string;
export declare function findTemporalCli(): string | undefined;
export declare function ensureTemporalCli(options?: { log?: (message: string) => void }): Promise<string | undefined>;
export declare function hydratePostgresBinaries(): void;
export declare const TEMPORAL_SERVER_VERSION: string;
export interface TemporalClusterToolPaths {
  server: string;
  sqlTool: string;
  /** The release's schema/postgresql/v12 folder. */
  schemaRoot: string;
}
export declare function temporalClusterToolPaths(): TemporalClusterToolPaths;
export declare function ensureTemporalClusterTools(options?: { log?: (message: string) => void }): Promise<TemporalClusterToolPaths>;
