import { isAbsolute, resolve } from 'node:path';
import type { FeedInput, FeedView } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import { clientFrom, printJson, runApiCommand, withApiOptions, type ApiFlags } from './api-access.js';
import { formatTable } from './table.js';

interface AddFlags extends ApiFlags {
  readonly format?: string;
  readonly column?: string;
  readonly refresh?: string;
  readonly internal?: boolean;
}

/** "1 entry, 3 set aside (documentation 1, private 2)", or what went wrong. */
export function describeFeedStatus(feed: FeedView): string {
  const { status } = feed;
  if (status.state === 'pending') return 'not loaded yet';
  const reasons = Object.entries(status.setAsideByReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const counts =
    status.entries === null
      ? 'no entries'
      : `${status.entries} ${status.entries === 1 ? 'entry' : 'entries'}, ${status.setAside ?? 0} set aside${reasons === '' ? '' : ` (${reasons})`}`;
  if (status.state === 'loaded')
    return `${counts}${status.invalidLines ? `, ${status.invalidLines} invalid lines` : ''}`;
  return `load failed: ${status.lastError ?? 'unknown error'}${status.keptLastGood ? ` (still matching the previous load: ${counts})` : ''}`;
}

/** A source as the server takes it: URLs as given, paths made absolute here (the server reads them). */
function sourceOf(text: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) || isAbsolute(text)) return text;
  return resolve(text);
}

/** `vigil feeds list|add|remove|reload`: the server's threat-intelligence feeds. */
export const registerFeedsCommand: RegisterCommand = (program, io, setExitCode) => {
  const feeds = program
    .command('feeds')
    .description('manage the threat-intelligence feeds suspicious addresses are matched against');

  withApiOptions(
    feeds
      .command('list')
      .description('every feed with its entry count, set-aside count and last load')
      .option('--json', 'print as JSON'),
  ).action(async (flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const { items } = await client.listFeeds();
      if (flags.json === true) {
        printJson(io, { items });
        return;
      }
      if (items.length === 0) {
        io.stdout('no threat-intel feeds (add one with `vigil feeds add <name> <file-or-url>`)\n');
        return;
      }
      io.stdout(
        formatTable(
          ['NAME', 'FORMAT', 'ENTRIES', 'SET ASIDE', 'LAST LOAD', 'STATE', 'SOURCE'],
          items.map((feed) => [
            `${feed.name}${feed.internal ? ' (internal)' : ''}${feed.origin === 'config' ? ' [config]' : ''}`,
            feed.format === 'csv' ? `csv:${String(feed.column)}` : 'plain',
            feed.status.entries === null ? '-' : String(feed.status.entries),
            feed.status.setAside === null ? '-' : String(feed.status.setAside),
            feed.status.lastLoadAt?.replace(/\.\d{3}Z$/, 'Z') ?? '-',
            feed.status.state,
            feed.source.location,
          ]),
        ),
      );
      for (const feed of items.filter((item) => item.status.lastError !== null))
        io.stdout(`${feed.name}: ${feed.status.lastError}\n`);
    });
  });

  withApiOptions(
    feeds
      .command('add <name> <source>')
      .description(
        'add a feed from a file on the server (a relative path is made absolute here) or an http(s) URL, and load it',
      )
      .option('--format <format>', 'plain (one address or CIDR a line, the default) or csv')
      .option('--column <column>', 'csv: the header name or 0-based index of the address column')
      .option('--refresh <duration>', 'ISO-8601 time between reloads, PT1M to P7D (default PT1H)')
      .option('--internal', 'a feed of internal ranges: private and reserved addresses match')
      .option('--json', 'print the feed as JSON'),
  ).action(async (name: string, source: string, flags: AddFlags) => {
    const format = flags.format ?? (flags.column === undefined ? 'plain' : 'csv');
    if (format !== 'plain' && format !== 'csv')
      throw new UsageError(`--format must be plain or csv (got ${format})`);
    const { client, url } = clientFrom(flags);
    const input: FeedInput = {
      name,
      source: sourceOf(source),
      format,
      ...(flags.column === undefined ? {} : { column: flags.column }),
      ...(flags.refresh === undefined ? {} : { refreshInterval: flags.refresh }),
      ...(flags.internal === true ? { internal: true } : {}),
    };
    await runApiCommand(io, setExitCode, url, async () => {
      const feed = await client.addFeed(input);
      if (flags.json === true) printJson(io, feed);
      else io.stdout(`added feed ${feed.name}: ${describeFeedStatus(feed)}\n`);
      // Added, but matching nothing yet: say so where scripts look, without failing the add.
      if (feed.status.state === 'failed' && flags.json !== true)
        io.stderr(
          `warning: feed ${feed.name} is stored but its first load failed; fix the source and run \`vigil feeds reload ${feed.name}\`\n`,
        );
    });
  });

  withApiOptions(
    feeds.command('remove <name>').description('remove a feed: its entries stop matching at once'),
  ).action(async (name: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      await client.removeFeed(name);
      io.stdout(`removed feed ${name}\n`);
    });
  });

  withApiOptions(
    feeds
      .command('reload <name>')
      .description('load a feed now (a failed load keeps the previous entries; exit code 1)')
      .option('--json', 'print the feed as JSON'),
  ).action(async (name: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const feed = await client.reloadFeed(name);
      if (flags.json === true) printJson(io, feed);
      else io.stdout(`reloaded feed ${feed.name}: ${describeFeedStatus(feed)}\n`);
      if (feed.status.state === 'failed') setExitCode(1);
    });
  });
};
