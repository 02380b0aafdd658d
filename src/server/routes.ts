// Every API path the server answers, with Argo CD's paths and the access each
// needs: `public` (no token needed: version, settings, login, userinfo, and
// the git webhook, which checks its provider's secret),
// `read` (a valid token, or none when users.anonymous.enabled is true), and
// `write` (a valid token: anything that changes state, whatever
// policy.default grants anonymous callers).
import type { ApiContext } from './api-context.ts';
import {
  applicationEvents, applicationResourceTree, getApplication, getApplicationResource, listApplications, managedResources,
} from './handlers/applications.ts';
import {
  deleteApplicationHandler, rollbackApplication, syncApplication, terminateApplicationOperation,
} from './handlers/application-operations.ts';
import { streamApplications } from './handlers/application-stream.ts';
import {
  getApplicationSet, getCluster, getProject, listApplicationSets, listClusters, listProjects, listRepositories,
} from './handlers/catalog.ts';
import { canI, createSession, createToken, deleteSession, deleteToken, getAccount, listAccounts, userInfo } from './handlers/session.ts';
import { gitWebhook } from './handlers/webhook.ts';
import { Router } from './http/router.ts';

export type Access = 'public' | 'read' | 'write';

export interface Route {
  readonly access: Access;
  readonly handle: (ctx: ApiContext) => unknown;
  /** Long-lived responses (streams) are exempt from the handler time limit. */
  readonly stream?: boolean;
}

function version(ctx: ApiContext): unknown {
  // Argo CD tells anonymous callers the version only.
  return ctx.claims === undefined ? { Version: ctx.deps.version.Version } : ctx.deps.version;
}

function settings(ctx: ApiContext): unknown {
  const cm = ctx.deps.cache.configMapData('argocd-cm') ?? {};
  return { url: cm['url'] ?? '', appLabelKey: cm['application.instanceLabelKey'] ?? 'app.kubernetes.io/instance',
    userLoginsDisabled: false, statusBadgeEnabled: false, execEnabled: false, controllerNamespace: ctx.deps.namespace,
    trackingMethod: cm['application.resourceTrackingMethod'] ?? 'annotation' };
}

export function buildRoutes(): Router<Route> {
  const r = new Router<Route>();
  const add = (method: string, path: string, access: Access, handle: (ctx: ApiContext) => unknown, stream = false): void => {
    r.add(method, path, { access, handle, stream });
  };
  add('GET', '/api/version', 'public', version);
  add('GET', '/api/v1/settings', 'public', settings);
  add('POST', '/api/v1/session', 'public', createSession);
  add('DELETE', '/api/v1/session', 'write', deleteSession);
  add('GET', '/api/v1/session/userinfo', 'public', userInfo);
  add('GET', '/api/v1/account', 'read', listAccounts);
  add('GET', '/api/v1/account/can-i/{resource}/{action}/{subresource}', 'read', canI);
  add('GET', '/api/v1/account/{name}', 'read', getAccount);
  add('POST', '/api/v1/account/{name}/token', 'write', createToken);
  add('DELETE', '/api/v1/account/{name}/token/{id}', 'write', deleteToken);

  add('GET', '/api/v1/applications', 'read', listApplications);
  add('GET', '/api/v1/stream/applications', 'read', streamApplications, true);
  add('GET', '/api/v1/applications/{name}', 'read', getApplication);
  add('DELETE', '/api/v1/applications/{name}', 'write', deleteApplicationHandler);
  add('GET', '/api/v1/applications/{applicationName}/resource-tree', 'read', applicationResourceTree);
  add('GET', '/api/v1/applications/{applicationName}/managed-resources', 'read', managedResources);
  add('GET', '/api/v1/applications/{name}/events', 'read', applicationEvents);
  add('GET', '/api/v1/applications/{name}/resource', 'read', getApplicationResource);
  add('POST', '/api/v1/applications/{name}/sync', 'write', syncApplication);
  add('POST', '/api/v1/applications/{name}/rollback', 'write', rollbackApplication);
  add('DELETE', '/api/v1/applications/{name}/operation', 'write', terminateApplicationOperation);

  add('GET', '/api/v1/applicationsets', 'read', listApplicationSets);
  add('GET', '/api/v1/applicationsets/{name}', 'read', getApplicationSet);
  add('GET', '/api/v1/projects', 'read', listProjects);
  add('GET', '/api/v1/projects/{name}', 'read', getProject);
  add('GET', '/api/v1/clusters', 'read', listClusters);
  add('GET', '/api/v1/clusters/{server}', 'read', getCluster);
  add('GET', '/api/v1/repositories', 'read', listRepositories);
  // A git provider's push: no token, the provider's secret from argocd-secret instead.
  add('POST', '/api/webhook', 'public', gitWebhook);
  return r;
}
