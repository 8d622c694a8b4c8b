// Types for constants.js (CommonJS, shared by Dataform and TypeScript). From TypeScript (ESM) import it as
//   import constants from '../../includes/constants.js';
// The values live only in the .js file.
declare namespace constants {
  const TAGS: { readonly grading: "grading"; readonly consolidation: "consolidation"; readonly reporting: "reporting"; readonly audit: "audit"; readonly daily: "daily"; readonly deploy: "deploy" };
  const EVERY_RUN_TAGS: readonly string[];
  /** The tags of what `npm run deploy` creates; no run selects them. */
  const DEPLOY_TAGS: readonly string[];
  const OWNED_TABLES: readonly string[];
  const DEPLOYED_VIEWS: readonly string[];
  const RECOMMENDATIONS: readonly string[];
  const SEASON_START_MONTH: number;
  const SUMMARY_WINDOWS: ReadonlyArray<{ name: string; days: number | null }>;
  const FENCE_ERROR_PREFIX: string;
  const MAX_LOOKBACK_DAYS: number;
}
export = constants;
