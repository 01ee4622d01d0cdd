// ssh2's index also loads its server, agents, key generator and HTTP(S) agents (node:https and
// so tls): about a third of the CLI's start-up that a client never uses. The adapters import the
// two modules they need directly; these declarations give them the types of the index.
declare module 'ssh2/lib/client.js' {
  import { Client } from 'ssh2';
  export = Client;
}

declare module 'ssh2/lib/protocol/keyParser.js' {
  import type { utils } from 'ssh2';
  export const parseKey: typeof utils.parseKey;
}
