import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SyncWindow } from '../api/app-project.ts';
import { canSync, describeWindow, matchingWindows, syncWindowSummary, windowState, type WindowTarget } from './sync-windows.ts';
import { timeZoneOffsetMs } from './time-zone.ts';

const at = (iso: string): number => Date.parse(iso);

test('time zones: offsets from the zone database, unknown zones as UTC', () => {
  const cases: Array<[string | undefined, string, number]> = [
    ['Europe/Amsterdam', '2026-01-15T12:00:00Z', 60], ['Europe/Amsterdam', '2026-07-15T12:00:00Z', 120],
    ['Europe/Amsterdam', '2026-03-29T00:59:59Z', 60], ['Europe/Amsterdam', '2026-03-29T01:00:00Z', 120],
    ['America/New_York', '2026-03-08T06:59:59Z', -300], ['America/New_York', '2026-03-08T07:00:00Z', -240],
    ['Asia/Kolkata', '2026-03-10T00:00:00Z', 330], ['Australia/Lord_Howe', '2026-01-15T00:00:00Z', 660],
    ['Australia/Lord_Howe', '2026-07-15T00:00:00Z', 630], ['UTC', '2026-01-01T00:00:00Z', 0], [undefined, '2026-01-01T00:00:00Z', 0],
    ['', '2026-01-01T00:00:00Z', 0], ['Mars/Olympus_Mons', '2026-01-01T00:00:00Z', 0],
  ];
  for (const [zone, when, minutes] of cases) assert.equal(timeZoneOffsetMs(zone, at(when)) / 60_000, minutes, `${zone} ${when}`);
});

test('window activity: schedule and duration on the wall clock of the time zone, following DST', () => {
  const deny22Amsterdam: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Europe/Amsterdam' };
  const ny0230: SyncWindow = { kind: 'allow', schedule: '30 2 * * *', duration: '1h', timeZone: 'America/New_York' };
  const officeKolkata: SyncWindow = { kind: 'allow', schedule: '0 9 * * 1-5', duration: '8h', timeZone: 'Asia/Kolkata' };
  const cases: Array<{ name: string; w: SyncWindow; now: string; active: boolean }> = [
    { name: 'Amsterdam winter (UTC+1): 22:00 local is 21:00Z', w: deny22Amsterdam, now: '2026-01-15T21:30:00Z', active: true },
    { name: 'Amsterdam winter, before', w: deny22Amsterdam, now: '2026-01-15T20:59:59Z', active: false },
    { name: 'Amsterdam winter, at the very start (Next is strictly after)', w: deny22Amsterdam, now: '2026-01-15T21:00:00.000Z', active: false },
    { name: 'Amsterdam winter, just after the start', w: deny22Amsterdam, now: '2026-01-15T21:00:00.001Z', active: true },
    { name: 'Amsterdam winter, last moment', w: deny22Amsterdam, now: '2026-01-15T21:59:59.999Z', active: true },
    { name: 'Amsterdam winter, at the end', w: deny22Amsterdam, now: '2026-01-15T22:00:00Z', active: false },
    { name: 'Amsterdam summer (UTC+2): 22:00 local is 20:00Z', w: deny22Amsterdam, now: '2026-07-15T20:30:00Z', active: true },
    { name: 'Amsterdam summer, the winter hour', w: deny22Amsterdam, now: '2026-07-15T21:30:00Z', active: false },
    { name: 'Amsterdam, the day summer time starts', w: deny22Amsterdam, now: '2026-03-29T20:30:00Z', active: true },
    { name: 'Amsterdam, the day summer time ends', w: deny22Amsterdam, now: '2026-10-25T21:30:00Z', active: true },
    { name: 'New York, an ordinary day: 02:30 EDT is 06:30Z', w: ny0230, now: '2026-03-09T06:45:00Z', active: true },
    { name: 'New York, spring forward: 01:45 EST, before', w: ny0230, now: '2026-03-08T06:45:00Z', active: false },
    { name: 'New York, spring forward: 02:30 never happens, 03:10 EDT is inside 02:30+1h', w: ny0230, now: '2026-03-08T07:10:00Z', active: true },
    { name: 'New York, spring forward: 03:30 EDT, over', w: ny0230, now: '2026-03-08T07:30:00Z', active: false },
    { name: 'Kolkata (UTC+5:30), Friday 09:01', w: officeKolkata, now: '2026-03-13T03:31:00Z', active: true },
    { name: 'Kolkata, Friday 08:59', w: officeKolkata, now: '2026-03-13T03:29:00Z', active: false },
    { name: 'Kolkata, Friday 16:59', w: officeKolkata, now: '2026-03-13T11:29:00Z', active: true },
    { name: 'Kolkata, Friday 17:01', w: officeKolkata, now: '2026-03-13T11:31:00Z', active: false },
    { name: 'Kolkata, Saturday', w: officeKolkata, now: '2026-03-14T05:00:00Z', active: false },
    { name: 'UTC, across midnight', w: { kind: 'deny', schedule: '0 23 * * *', duration: '2h' }, now: '2026-03-11T00:30:00Z', active: true },
    { name: 'UTC, Friday night into Saturday', w: { kind: 'deny', schedule: '0 23 * * 5', duration: '3h' }, now: '2026-03-14T01:00:00Z', active: true },
    { name: 'an unknown zone is UTC', w: { kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Mars/Olympus_Mons' }, now: '2026-01-15T22:30:00Z', active: true },
    { name: 'every minute, one hour long: always', w: { kind: 'deny', schedule: '* * * * *', duration: '1h' }, now: '2026-01-15T22:30:00Z', active: true },
    { name: 'a zero duration is never open', w: { kind: 'deny', schedule: '* * * * *', duration: '0' }, now: '2026-01-15T22:30:30Z', active: false },
    { name: 'a schedule that never fires reads as open (Go zero time is before now)', w: { kind: 'deny', schedule: '0 0 30 2 *', duration: '1h' }, now: '2026-01-15T22:30:00Z', active: true },
  ];
  for (const c of cases) assert.equal(windowState(c.w, at(c.now)).active, c.active, c.name);
});

test('window activity: when to look again', () => {
  const w: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Europe/Amsterdam' };
  assert.equal(new Date(windowState(w, at('2026-01-15T21:30:00Z')).changesAtMs).toISOString(), '2026-01-15T22:00:00.000Z');
  assert.equal(new Date(windowState(w, at('2026-01-15T20:00:00Z')).changesAtMs).toISOString(), '2026-01-15T21:00:01.000Z');
});

const always = (kind: 'allow' | 'deny', manualSync = false): SyncWindow =>
  ({ kind, schedule: '* * * * *', duration: '1h', applications: ['*'], ...(manualSync ? { manualSync } : {}) });
const never = (kind: 'allow' | 'deny', manualSync = false): SyncWindow =>
  ({ kind, schedule: '0 0 1 1 *', duration: '1m', applications: ['*'], ...(manualSync ? { manualSync } : {}) });

// The rules of user-guide/sync_windows.md, as Argo CD's TestSyncWindows_CanSync checks them.
test('canSync: allow and deny windows, manual syncs', () => {
  const now = at('2026-03-10T12:00:00Z');
  const cases: Array<{ name: string; windows: SyncWindow[]; manual: boolean; automated: boolean }> = [
    { name: 'no window', windows: [], manual: true, automated: true },
    { name: 'an active allow', windows: [always('allow')], manual: true, automated: true },
    { name: 'an inactive allow', windows: [never('allow')], manual: false, automated: false },
    { name: 'an inactive allow with manualSync', windows: [never('allow', true)], manual: true, automated: false },
    { name: 'an active deny', windows: [always('deny')], manual: false, automated: false },
    { name: 'an active deny with manualSync', windows: [always('deny', true)], manual: true, automated: false },
    { name: 'active allow and active deny: deny wins', windows: [always('allow'), always('deny')], manual: false, automated: false },
    { name: 'active allow and active deny with manualSync', windows: [always('allow'), always('deny', true)], manual: true, automated: false },
    { name: 'inactive allow and active deny', windows: [never('allow'), always('deny')], manual: false, automated: false },
    { name: 'active allow and inactive deny', windows: [always('allow'), never('deny')], manual: true, automated: true },
    { name: 'an inactive deny only', windows: [never('deny')], manual: true, automated: true },
    { name: 'an inactive and an active allow', windows: [never('allow'), always('allow')], manual: true, automated: true },
    { name: 'two active denies, one without manualSync', windows: [always('deny', true), always('deny')], manual: false, automated: false },
    { name: 'two active denies with manualSync', windows: [always('deny', true), always('deny', true)], manual: true, automated: false },
    { name: 'two inactive allows, one without manualSync', windows: [never('allow', true), never('allow')], manual: false, automated: false },
    { name: 'an inactive allow with manualSync and an inactive deny', windows: [never('allow', true), never('deny')], manual: true, automated: false },
  ];
  for (const c of cases) {
    assert.equal(canSync(c.windows, true, now).allowed, c.manual, `${c.name}: manual`);
    assert.equal(canSync(c.windows, false, now).allowed, c.automated, `${c.name}: automated`);
  }
});

test('canSync: a window that does not parse blocks with the reason', () => {
  const now = at('2026-03-10T12:00:00Z');
  assert.deepEqual(canSync([{ kind: 'allow', schedule: '* * *', duration: '1h' }, always('allow')], true, now),
    { allowed: false, error: "invalid sync windows: cannot parse schedule '* * *': expected exactly 5 fields, found 3: [* * *]" });
  assert.deepEqual(canSync([{ kind: 'deny', schedule: '* * * * *', duration: '1d' }], false, now),
    { allowed: false, error: 'invalid sync windows: cannot parse duration \'1d\': time: unknown unit "d" in duration "1d"' });
  assert.deepEqual(canSync([{ kind: 'deny', schedule: '* * * * *' }], false, now),
    { allowed: false, error: 'invalid sync windows: cannot parse duration \'\': time: invalid duration ""' });
});

test('canSync: tells when the answer may change', () => {
  const w: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Europe/Amsterdam', namespaces: ['*'] };
  const inside = canSync([w], false, at('2026-01-15T21:30:00Z'));
  assert.equal(inside.allowed, false);
  assert.equal(new Date(inside.recheckAtMs!).toISOString(), '2026-01-15T22:00:00.000Z');
  assert.equal(canSync([w], false, at('2026-01-15T22:00:00Z')).allowed, true);
});

test('matching: applications, clusters (name or server as the spec gives them) and namespaces, ORed or ANDed', () => {
  const app: WindowTarget = { name: 'shop-prod', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } };
  const byName: WindowTarget = { name: 'shop-dev', destination: { name: 'in-cluster', namespace: 'dev' } };
  const w = (extra: Partial<SyncWindow>): SyncWindow => ({ kind: 'deny', schedule: '* * * * *', duration: '1h', ...extra });
  const cases: Array<{ name: string; window: SyncWindow; target: WindowTarget; want: boolean }> = [
    { name: 'application glob', window: w({ applications: ['*-prod'] }), target: app, want: true },
    { name: 'application glob, other app', window: w({ applications: ['*-prod'] }), target: byName, want: false },
    { name: 'namespace', window: w({ namespaces: ['shop'] }), target: app, want: true },
    { name: 'cluster by server', window: w({ clusters: ['https://kubernetes.default.svc'] }), target: app, want: true },
    { name: 'cluster by name', window: w({ clusters: ['in-cluster'] }), target: byName, want: true },
    { name: 'a name the spec does not give does not match', window: w({ clusters: ['in-cluster'] }), target: app, want: false },
    { name: 'ORed: the namespace is enough', window: w({ applications: ['other'], namespaces: ['shop'] }), target: app, want: true },
    { name: 'ANDed: every list must match', window: w({ applications: ['other'], namespaces: ['shop'], andOperator: true }), target: app, want: false },
    { name: 'ANDed: all match', window: w({ applications: ['shop-*'], namespaces: ['sh*'], andOperator: true }), target: app, want: true },
    { name: 'no selector', window: w({}), target: app, want: false },
    { name: 'no selector, ANDed', window: w({ andOperator: true }), target: app, want: false },
  ];
  for (const c of cases) assert.equal(matchingWindows([c.window], c.target).length === 1, c.want, c.name);
  assert.equal(describeWindow(w({})), 'deny:* * * * *:1h');
});

test('the state argocd app get prints', () => {
  const now = at('2026-03-10T12:00:00Z');
  const cases: Array<[SyncWindow[], string | undefined]> = [
    [[], undefined], [[always('allow')], 'Sync Allowed'], [[never('deny')], 'Sync Allowed'], [[always('deny')], 'Sync Denied'],
    [[always('deny', true)], 'Manual Allowed'], [[never('allow')], 'Sync Denied'], [[never('allow', true)], 'Manual Allowed'],
    [[always('allow'), never('allow')], 'Sync Allowed'], [[{ kind: 'deny', schedule: 'x', duration: '1h' }], 'Sync Denied'],
  ];
  for (const [windows, want] of cases) assert.equal(syncWindowSummary(windows, now), want, JSON.stringify(windows));
});
