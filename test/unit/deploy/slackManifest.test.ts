import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { WebClient, type AppsManifestCreateArguments } from '@slack/web-api';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { z } from 'zod';
import { createHttpServer } from '../../../src/http/createHttpServer';
import { SLACK_EVENTS_PATH } from '../../../src/http/slackEventsPath';
import { silentLog } from '../../support/fakes/silentLog';

const repo = resolve(__dirname, '../../..');
type Manifest = AppsManifestCreateArguments['manifest'];
/** Slack's own list of bot scope names (the SDK's manifest type): a misspelt scope fails tsc. */
type BotScope = NonNullable<
  NonNullable<NonNullable<Manifest['oauth_config']>['scopes']>['bot']
>[number];

/**
 * Bot scopes per Web API method, for the conversation types portbot uses (public and private
 * channels, 1:1 DMs it opens). From Slack's method reference pages; the table and its links are in
 * docs/reference/slack.md ("Scopes"). A method portbot starts calling must be added here first.
 */
const SCOPES_BY_METHOD: Readonly<Record<string, readonly BotScope[]>> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'views.open': [],
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'conversations.join': ['channels:join'],
  'usergroups.users.list': ['usergroups:read'],
  'usergroups.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'reactions.add': ['reactions:write'],
};

/** A slash command needs `commands`; Bolt itself calls auth.test (no scope) at start-up. */
const COMMAND_SCOPE: BotScope = 'commands';
const MAPPED_SCOPES = [...new Set([COMMAND_SCOPE, ...Object.values(SCOPES_BY_METHOD).flat()])] as [
  BotScope,
  ...BotScope[],
];

/** The subset of Slack's manifest schema portbot uses; unknown keys are refused (typos). */
const ManifestSchema = z
  .object({
    _metadata: z.object({ major_version: z.literal(1), minor_version: z.number().int() }).strict(),
    display_information: z
      .object({
        name: z.string().min(1).max(35),
        description: z.string().max(140),
        background_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
      })
      .strict(),
    features: z
      .object({
        bot_user: z
          .object({ display_name: z.string().min(1).max(80), always_online: z.boolean() })
          .strict(),
        app_home: z
          .object({
            home_tab_enabled: z.boolean(),
            messages_tab_enabled: z.boolean(),
            messages_tab_read_only_enabled: z.boolean(),
          })
          .strict(),
        slash_commands: z.array(
          z
            .object({
              command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
              url: z.url({ protocol: /^https$/ }).exactOptional(),
              description: z.string().min(1).max(2000),
              usage_hint: z.string().max(1000),
              should_escape: z.boolean(),
            })
            .strict(),
        ),
      })
      .strict(),
    oauth_config: z
      .object({ scopes: z.object({ bot: z.array(z.enum(MAPPED_SCOPES)) }).strict() })
      .strict(),
    settings: z
      .object({
        interactivity: z
          .object({
            is_enabled: z.boolean(),
            request_url: z.url({ protocol: /^https$/ }).exactOptional(),
          })
          .strict(),
        event_subscriptions: z.never().exactOptional(),
        org_deploy_enabled: z.boolean(),
        socket_mode_enabled: z.boolean(),
        token_rotation_enabled: z.boolean(),
      })
      .strict(),
  })
  .strict();

function loadManifest(name: string): Manifest & z.infer<typeof ManifestSchema> {
  return ManifestSchema.parse(parse(readFileSync(join(repo, 'deploy/slack', name), 'utf8')));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

// The local Slack stand-in implements methods, it does not call Slack.
const callers = sourceFiles(join(repo, 'src')).filter(
  (f) => !relative(repo, f).startsWith('src/localSlack/'),
);
const sources = callers.map((f) => ({ file: relative(repo, f), text: readFileSync(f, 'utf8') }));

/** `<client>.<family>.<method>(` on a WebClient (portbot names them `client` and `posts`). */
function webApiCalls(): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/\b(?:client|posts)\s*\.\s*([a-z]+(?:\s*\.\s*[a-zA-Z]+)+)\s*\(/g))
      if (m[1]) {
        const method = m[1].replace(/\s+/g, '');
        calls.set(method, [...(calls.get(method) ?? []), file]);
      }
  }
  return calls;
}

function isWebClientMethod(method: string): boolean {
  let node: unknown = new WebClient('xoxb-test');
  for (const part of method.split('.')) node = (node as Record<string, unknown>)[part];
  return typeof node === 'function';
}

const slashCommands = () =>
  sources.flatMap(({ text }) =>
    [...text.matchAll(/\bapp\.command\(\s*'([^']+)'/g)].map((m) => m[1]),
  );

describe('Slack app manifests (deploy/slack)', () => {
  const calls = webApiCalls();

  it('finds the Web API calls in src/, and each is a real WebClient method', () => {
    // A floor, so a broken scan cannot pass by finding nothing.
    expect([...calls.keys()]).toEqual(
      expect.arrayContaining(['chat.postMessage', 'conversations.history', 'auth.test']),
    );
    for (const method of calls.keys())
      expect([method, isWebClientMethod(method)]).toEqual([method, true]);
    const generic = sources.filter(({ text }) => /\.apiCall\(/.test(text)).map((s) => s.file);
    expect(generic).toEqual([]);
  });

  it.each(['manifest.yaml', 'manifest.socket.yaml'])(
    '%s asks for exactly the bot scopes of the methods portbot calls',
    (name) => {
      const unmapped = [...calls.keys()].filter((m) => !(m in SCOPES_BY_METHOD));
      expect(unmapped).toEqual([]);
      const needed = new Set([...calls.keys()].flatMap((m) => SCOPES_BY_METHOD[m] ?? []));
      if (slashCommands().length > 0) needed.add(COMMAND_SCOPE);
      const granted = loadManifest(name).oauth_config.scopes.bot;
      expect([...granted].sort()).toEqual([...needed].sort());
      expect(new Set(granted).size).toBe(granted.length);
    },
  );

  it.each(['manifest.yaml', 'manifest.socket.yaml'])(
    '%s declares the slash commands Bolt registers, interactivity, and no events',
    (name) => {
      const m = loadManifest(name);
      expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual(
        slashCommands().sort(),
      );
      const handlesInteractions = sources.some(({ text }) => /\bapp\.(action|view)\(/.test(text));
      expect(handlesInteractions).toBe(true);
      expect(m.settings.interactivity.is_enabled).toBe(true);
      // portbot subscribes to no events: an event subscription would need scopes it does not use.
      expect(sources.filter(({ text }) => /\bapp\.(event|message)\(/.test(text))).toEqual([]);
      expect(m.settings.event_subscriptions).toBeUndefined();
    },
  );

  it('Socket Mode variant: socket mode on and no request URLs (Slack pushes over the socket)', () => {
    const m = loadManifest('manifest.socket.yaml');
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.interactivity.request_url).toBeUndefined();
    expect(m.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
  });

  describe('HTTP variant: every URL is a route the server really serves to Bolt', () => {
    let server: Server;
    const reached: string[] = [];

    beforeAll(async () => {
      server = createHttpServer({
        slackListener: (req, res) => {
          reached.push(req.url ?? '');
          res.writeHead(200).end();
        },
        readiness: {},
        registry: new Registry(),
        log: silentLog,
        maxConnectionsPerAddress: 64,
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const post = (path: string) =>
      new Promise<number>((resolvePost, reject) => {
        const { port } = server.address() as AddressInfo;
        const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
          res.resume();
          resolvePost(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('payload=%7B%7D');
      });

    it('the slash command and interactivity URLs reach the Slack listener', async () => {
      const m = loadManifest('manifest.yaml');
      expect(m.settings.socket_mode_enabled).toBe(false);
      const urls = [
        ...m.features.slash_commands.map((c) => c.url),
        m.settings.interactivity.request_url,
      ];
      expect(urls.every((u) => u !== undefined)).toBe(true);
      for (const url of urls) {
        const path = new URL(url ?? '').pathname;
        expect(path).toBe(SLACK_EVENTS_PATH);
        reached.length = 0;
        expect(await post(path)).toBe(200);
        expect(reached).toEqual([path]);
      }
      // and a path Slack was not told about does not reach it
      reached.length = 0;
      expect(await post('/slack/commands')).toBe(404);
      expect(reached).toEqual([]);
    });

    it("Bolt's HTTP receiver listens on the same path", () => {
      const bolt = readFileSync(join(repo, 'src/slack/createBoltApp.ts'), 'utf8');
      expect(bolt).toMatch(/endpoints:\s*SLACK_EVENTS_PATH\b/);
    });
  });
});
