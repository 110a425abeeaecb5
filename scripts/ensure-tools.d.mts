export declare const TEMPORAL_CLI_MODULE: string;
export declare function findTemporalCli(): string | undefined;
export declare function ensureTemporalCli(options?: { log?: (message: string) => void }): Promise<string | undefined>;
export declare function hydratePostgresBinaries(): void;
