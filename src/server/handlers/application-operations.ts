// The write side of Argo CD's ApplicationService, each needing an
// authenticated caller and the RBAC action Argo CD checks: Sync and Rollback
// (`sync`) request an operation by writing the app's `operation` field, which
// the controller runs; TerminateOperation (`sync`) sets the running
// operation to Terminating; Delete (`delete`) deletes with `cascade` and
// `propagationPolicy` (foreground, background) as Argo CD does. Refusals keep
// Argo CD's codes and messages: a deleting app, a revision other than the
// automated one, a closed sync window, an operation already in progress,
// rollback under automated sync, no such history entry, nothing to terminate.
import type { Application } from '../../api/application.ts';
import type { AppProject } from '../../api/app-project.ts';
import type { Operation, SyncOperationResource, SyncStrategy, RetryStrategySpec } from '../../api/application-status.ts';
import {
  assertManualSyncAllowedBy, deleteApplication, getApp, isAutomated, requestOperation, rollbackOperation, terminateOperation,
} from '../../controller/app-operations.ts';
import { CapstanError } from '../../errors.ts';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../http/api-errors.ts';
import { queryBool } from '../http/request-body.ts';
import { appForRequest } from './app-access.ts';

interface SyncRequest {
  revision?: string;
  revisions?: string[];
  dryRun?: boolean;
  prune?: boolean;
  strategy?: SyncStrategy;
  resources?: SyncOperationResource[];
  syncOptions?: { items?: string[] };
  retryStrategy?: RetryStrategySpec;
  infos?: Array<{ name: string; value: string }>;
  manifests?: string[];
}

function requireUser(ctx: ApiContext): string {
  if (ctx.claims === undefined) throw new ApiError('Unauthenticated', 'no session information');
  return ctx.claims.sub;
}

function asApiError(err: unknown): never {
  if (err instanceof CapstanError && err.code === 'OperationInProgress') throw new ApiError('FailedPrecondition', 'another operation is already in progress');
  throw err;
}

/** The app as the API server has it now (a fresh read, so the operation is decided on its latest version). */
async function current(ctx: ApiContext, action: string, name: string): Promise<Application> {
  appForRequest(ctx, action, name);
  const fresh = await getApp(ctx.deps.client, ctx.deps.namespace, name).catch((err: unknown) => {
    if (err instanceof CapstanError && err.code === 'NotFound') throw new ApiError('NotFound', `applications.argoproj.io "${name}" not found`);
    throw err;
  });
  // The project may have changed since the cache saw it: check again on the fresh copy.
  return appForRequest(ctx, action, name, () => fresh);
}

const targetRevisionOf = (app: Application): string => (app.spec.source?.targetRevision || app.spec.sources?.[0]?.targetRevision || 'HEAD');

export async function syncApplication(ctx: ApiContext): Promise<Application> {
  const user = requireUser(ctx);
  const name = ctx.params['name']!;
  const body = await ctx.body<SyncRequest>();
  const app = await current(ctx, 'sync', name);
  if (body.manifests !== undefined && body.manifests.length > 0) throw new ApiError('Unimplemented', 'syncing local manifests is not supported');
  const project = ctx.deps.cache.projects.items.get(app.spec.project) as AppProject | undefined;
  if (app.metadata.deletionTimestamp) throw new ApiError('FailedPrecondition', 'application is deleting');
  if (isAutomated(app) && !body.dryRun && body.revision && body.revision !== targetRevisionOf(app)) {
    throw new ApiError('FailedPrecondition', `Cannot sync to ${body.revision}: auto-sync currently set to ${targetRevisionOf(app)}`);
  }
  assertManualSyncAllowedBy(project, app);
  const syncOptions = body.syncOptions?.items ?? app.spec.syncPolicy?.syncOptions;
  const operation: Operation = {
    sync: {
      ...(body.revision ? { revision: body.revision } : {}), ...(body.revisions?.length ? { revisions: body.revisions } : {}),
      prune: body.prune === true, dryRun: body.dryRun === true,
      ...(body.strategy ? { syncStrategy: body.strategy } : {}),
      ...(body.resources?.length ? { resources: body.resources.map((r) => ({ group: r.group ?? '', kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) })) } : {}),
      ...(syncOptions?.length ? { syncOptions } : {}),
    },
    ...(body.infos?.length ? { info: body.infos } : {}),
    ...(body.retryStrategy ? { retry: body.retryStrategy } : {}),
  };
  const result = await requestOperation(ctx.deps.client, app, operation, user).catch(asApiError);
  ctx.deps.log(`${user} requested a sync of ${name}`);
  return result.app;
}

export async function rollbackApplication(ctx: ApiContext): Promise<Application> {
  const user = requireUser(ctx);
  const name = ctx.params['name']!;
  const body = await ctx.body<{ id?: number | string; dryRun?: boolean; prune?: boolean }>();
  const app = await current(ctx, 'sync', name);
  if (app.metadata.deletionTimestamp) throw new ApiError('FailedPrecondition', 'application is deleting');
  if (body.id === undefined) throw new ApiError('InvalidArgument', 'id is required');
  let operation: Operation;
  try {
    operation = rollbackOperation(app, body.id, { ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}), ...(body.prune !== undefined ? { prune: body.prune } : {}) });
  } catch (err) {
    if (err instanceof CapstanError) throw new ApiError(err.code === 'FailedPrecondition' ? 'FailedPrecondition' : 'InvalidArgument', err.message);
    throw err;
  }
  const result = await requestOperation(ctx.deps.client, app, operation, user).catch(asApiError);
  ctx.deps.log(`${user} requested a rollback of ${name} to history ${body.id}`);
  return result.app;
}

export async function terminateApplicationOperation(ctx: ApiContext): Promise<unknown> {
  const user = requireUser(ctx);
  const name = ctx.params['name']!;
  const app = await current(ctx, 'sync', name);
  try {
    await terminateOperation(ctx.deps.client, app);
  } catch (err) {
    if (err instanceof CapstanError && err.code === 'NoOperation') throw new ApiError('InvalidArgument', 'Unable to terminate operation. No operation is in progress');
    throw err;
  }
  ctx.deps.log(`${user} terminated the operation of ${name}`);
  return {};
}

export async function deleteApplicationHandler(ctx: ApiContext): Promise<unknown> {
  const user = requireUser(ctx);
  const name = ctx.params['name']!;
  const app = await current(ctx, 'delete', name);
  const cascade = queryBool(ctx.query, 'cascade');
  const policy = ctx.query.get('propagationPolicy') ?? '';
  try {
    await deleteApplication(ctx.deps.client, app, cascade, policy);
  } catch (err) {
    if (err instanceof CapstanError && err.code === 'InvalidArgument') throw new ApiError('InvalidArgument', err.message);
    throw err;
  }
  ctx.deps.log(`${user} deleted application ${name}${cascade === false ? ' (resources kept)' : ''}`);
  return {};
}
