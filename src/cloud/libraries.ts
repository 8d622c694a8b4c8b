/**
 * Google's client libraries, loaded on first use instead of at import: a command's `--help`, and its exit 2 on bad
 * input, never pay for them (together about 0.35 s of CPU at start-up; test/warehouse/module-graph.test.ts). They
 * are CommonJS, so a synchronous require keeps every call site as it was; types come from `import type`.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const bigQueryLibrary = () => require('@google-cloud/bigquery') as typeof import('@google-cloud/bigquery');
export const firestoreLibrary = () => require('@google-cloud/firestore') as typeof import('@google-cloud/firestore');
export const dataformLibrary = () => require('@google-cloud/dataform') as typeof import('@google-cloud/dataform');
export const authLibrary = () => require('google-auth-library') as typeof import('google-auth-library');
