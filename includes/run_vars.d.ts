// Types for run_vars.js (CommonJS, read by Dataform at compile time). From TypeScript (ESM) import it as
//   import runVarsModule from '../../includes/run_vars.js';
// It reads the compilation's vars from the `dataform` global that Dataform provides.
declare namespace runVarsModule {
  /** The validated vars of one run. */
  interface RunVars {
    gameDates: string[];
    lookbackDays: number;
    runId: string;
    lockToken: string;
    tokenByDate: Record<string, string>;
    operation: string;
  }
  /** Validates `dataform.projectConfig.vars`; throws one Error naming every invalid var. */
  function runVars(): RunVars;
}
export = runVarsModule;
