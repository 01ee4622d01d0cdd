/**
 * A security or monitoring agent that may hold an LB port but is never killed by portbot
 * (docs/reference/runbooks.md, runbooks/protected-agents.yaml; the inventory extends the list).
 */
export interface ProtectedAgent {
  name: string;
  /** Process names (comm, at most 15 characters) or executable basenames that identify it. */
  programs: string[];
  /** Who owns it: the diagnosis escalates to them. */
  team: string;
  /** Command-line flags that set its listen address, e.g. `--web.listen-address`. */
  portFlags: string[];
  description?: string;
}
