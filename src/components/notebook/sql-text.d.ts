// Types of sql-text.js, for the Node test that runs the pages' queries.
export const OBSERVATION_TYPES: Record<string, string>;
export const MODEL_TYPES: Record<string, string>;
export function typesLiteral(types: Record<string, string>): string;
export function createTable(name: string, file: string, types: Record<string, string>): string;
export function literal(value: unknown): string;
export function plain(table: { toArray(): { toJSON(): Record<string, unknown> }[] }): Record<string, unknown>[];
