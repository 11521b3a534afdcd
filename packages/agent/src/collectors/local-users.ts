/**
 * The LocalUsers collector (reference/azure-security-module.md §2.2): every account of `/etc/passwd`
 * with its primary and supplementary groups from `/etc/group`.
 */
import type { LocalUser } from '@vigil/protocol';
import { parseGroup, parsePasswd, type GroupEntry, type PasswdEntry, parseError } from '../linux/index.js';
import type { Collector, CollectorError } from './collector.js';
import { toCollectorError } from './collector-errors.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const LOCAL_USERS_ID = 'local-users';

/** The user's groups: the primary group first, then supplementary ones in `/etc/group` order. */
function groupsOf(user: PasswdEntry, groups: readonly GroupEntry[]): GroupEntry[] {
  const primary = groups.find((g) => g.gid === user.gid);
  const rest = groups.filter((g) => g !== primary && g.members.includes(user.name));
  return primary === undefined ? rest : [primary, ...rest];
}

/** Creates the local-users collector. */
export function createLocalUsersCollector(): Collector {
  return {
    id: LOCAL_USERS_ID,
    platforms: ['linux'],
    priority: 'High',
    description: 'Local accounts from /etc/passwd with their groups from /etc/group.',
    async collect(context) {
      const errors: CollectorError[] = [];
      const read = async (path: string): Promise<string | undefined> => {
        try {
          return await context.system.readFile(path);
        } catch (error) {
          errors.push(toCollectorError(LOCAL_USERS_ID, error, path));
          return undefined;
        }
      };
      const [passwdText, groupText] = await Promise.all([read('/etc/passwd'), read('/etc/group')]);
      if (passwdText === undefined) return { events: [], errors };
      const passwd = parsePasswd(passwdText);
      const group = groupText === undefined ? { entries: [], badLines: [] } : parseGroup(groupText);
      for (const [path, lines] of [
        ['/etc/passwd', passwd.badLines],
        ['/etc/group', group.badLines],
      ] as const) {
        if (lines.length > 0) {
          errors.push(
            toCollectorError(LOCAL_USERS_ID, parseError(`malformed lines ${lines.join(', ')}`), path),
          );
        }
      }
      const users: LocalUser[] = passwd.entries.map((user) => {
        const groups = groupsOf(user, group.entries);
        return {
          userName: user.name,
          userId: String(user.uid),
          groupNames: groups.map((g) => g.name),
          groupIds: groups.map((g) => String(g.gid)),
        };
      });
      const header = eventHeader(context, 'LocalUsers', 'Periodic');
      return { events: [{ ...header, kind: 'local-users', users }], errors };
    },
  };
}
