// Types for run_events.js (CommonJS, shared by Dataform and TypeScript). From TypeScript (ESM) import it as
//   import runEvents from '../../includes/run_events.js';
declare namespace runEvents {
  const EVENTS: { readonly started: "started"; readonly finished: "finished"; readonly recorded: "recorded"; readonly abandoned: "abandoned"; readonly migrated: "migrated" };
  const STATE_COLUMNS: readonly string[];
  const EVENT_COLUMNS: readonly string[];
  const MIGRATION_REFUSAL: string;
  function latestRunStateSql(eventsRef: string): string;
}
export = runEvents;
