// Finding an Application for a request as Argo CD's getAppEnforceRBAC does,
// so a caller learns nothing about apps it may not see: without `?project=`,
// a missing app and an app the caller may not act on are both `permission
// denied`; with it, a permitted project is checked first, then a missing app
// or one in another project is NotFound (`applications.argoproj.io "x" not
// found`) and one the caller may not act on in that project NotFound too.
import type { Application } from '../../api/application.ts';
import type { ApiContext } from '../api-context.ts';
import { ApiError, permissionDenied } from '../http/api-errors.ts';

export const rbacNameOf = (app: Application): string => `${app.spec.project || 'default'}/${app.metadata.name}`;

const notFound = (name: string): ApiError => new ApiError('NotFound', `applications.argoproj.io "${name}" not found`);

export function appForRequest(ctx: ApiContext, action: string, name: string, lookup: (name: string) => Application | undefined = (n) => ctx.deps.cache.apps.items.get(n)): Application {
  const project = ctx.query.get('project') ?? ctx.query.get('appProject') ?? '';
  if (project !== '' && !ctx.can('applications', action, `${project}/${name}`)) throw permissionDenied();
  const app = lookup(name);
  if (app === undefined) throw project !== '' ? notFound(name) : permissionDenied();
  if (!ctx.can('applications', action, rbacNameOf(app))) throw project !== '' ? notFound(name) : permissionDenied();
  if (project !== '' && (app.spec.project || 'default') !== project) throw notFound(name);
  return app;
}
