/**
 * How a command was started, for its usage text: the scripts' usage says `npm run grade -- ...`; run through the
 * `gradeguard` dispatcher (scripts/gradeguard.ts) it says `gradeguard grade ...`. Kept out of command.ts so the
 * dispatcher's own `--help` loads nothing but this.
 */
let dispatched = false;

/** Called by the dispatcher before it loads the chosen command. */
export function viaDispatcher(): void {
  dispatched = true;
}

/** `npm run grade -- [--x]` / `npm start [-- --x]` as `gradeguard grade [--x]` when started by the dispatcher. */
export function usageAsInvoked(name: string, usage: string): string {
  if (!dispatched) return usage;
  // Command names are [a-z-]: no regular-expression metacharacters.
  return usage.replace(new RegExp(`npm (?:run )?${name} (\\[)?-- ?`, 'g'), `gradeguard ${name} $1`);
}
