import type { ValueTransformer } from 'typeorm';

/** NUMERIC(38,0) and BIGINT columns <-> bigint. pg returns both as strings, so nothing passes through a float. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};
