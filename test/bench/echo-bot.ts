import cluster from 'node:cluster';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
} from 'botbuilder';
import restify from 'restify';

/**
 * The bare botbuilder echo bot of Microsoft's BotBuilder-Samples (02.echo-bot: restify, CloudAdapter,
 * ActivityHandler), for the benches to measure beside the assistant's turns: what any bot on this
 * SDK costs per turn on this machine. No app id (anonymous, as the benches run the assistant), and
 * expectReplies answers in the response body, as the assistant's route does.
 *
 * `node scripts/run.js test/bench/echo-bot.ts PORT [PROCESSES]`: PROCESSES server processes sharing
 * PORT on 127.0.0.1 (node:cluster), as WEB_CONCURRENCY does for `npm start`.
 */
export function main(argv: string[] = []): void {
  const port = Number(argv[0]);
  const processes = Number(argv[1] ?? 1);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: echo-bot.ts PORT [PROCESSES]');
  if (processes > 1 && cluster.isPrimary) {
    for (let i = 0; i < processes; i++) cluster.fork();
    process.once('SIGTERM', () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context: TurnContext) => bot.run(context));
  });
  server.listen(port, '127.0.0.1');
  // A worker holds nothing to finish, and its primary may already be gone (closing the server would
  // write to the primary's closed channel: EPIPE): it just leaves.
  process.once('SIGTERM', () =>
    cluster.isWorker ? process.exit(0) : server.close(() => process.exit(0)),
  );
}
