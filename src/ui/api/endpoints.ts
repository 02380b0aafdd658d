// The API calls the UI makes, one function each, named for Argo CD's
// ApplicationService, ApplicationSetService, ProjectService, ClusterService
// and SessionService methods (paths as in their .proto HTTP bindings).
import { apiRequest, setSessionToken } from './api-client.ts';
import type {
  Application, ApplicationList, ApplicationResourceResponse, ApplicationRollbackRequest, ApplicationSetList,
  ApplicationSyncRequest, ApplicationTree, AppProjectList, ClusterList, ManagedResourcesResponse, ResourceRef, UserInfo,
} from './api-types.ts';

const apps = '/api/v1/applications';
const enc = encodeURIComponent;

export async function login(username: string, password: string): Promise<void> {
  const res = await apiRequest<{ token?: string }>('/api/v1/session', { method: 'POST', body: { username, password } });
  setSessionToken(res?.token);
}

export async function logout(): Promise<void> {
  try { await apiRequest('/api/v1/session', { method: 'DELETE' }); } catch { /* the session is dropped here anyway */ }
  setSessionToken(undefined);
}

export function userInfo(): Promise<UserInfo> { return apiRequest<UserInfo>('/api/v1/session/userinfo'); }

export function listApplications(signal?: AbortSignal): Promise<ApplicationList> {
  return apiRequest<ApplicationList>(apps, signal ? { signal } : {});
}

/** `refresh` is Argo CD's `?refresh=normal|hard`: the app is compared (hard: rendered) again. */
export function getApplication(name: string, refresh?: 'normal' | 'hard'): Promise<Application> {
  return apiRequest<Application>(`${apps}/${enc(name)}`, { query: { refresh } });
}

export function resourceTree(name: string): Promise<ApplicationTree> {
  return apiRequest<ApplicationTree>(`${apps}/${enc(name)}/resource-tree`);
}

export function managedResources(name: string): Promise<ManagedResourcesResponse> {
  return apiRequest<ManagedResourcesResponse>(`${apps}/${enc(name)}/managed-resources`);
}

export function getResource(name: string, ref: ResourceRef): Promise<ApplicationResourceResponse> {
  return apiRequest<ApplicationResourceResponse>(`${apps}/${enc(name)}/resource`, {
    query: { namespace: ref.namespace ?? '', resourceName: ref.name, version: ref.version ?? '', group: ref.group ?? '', kind: ref.kind },
  });
}

export function syncApplication(req: ApplicationSyncRequest): Promise<Application> {
  return apiRequest<Application>(`${apps}/${enc(req.name)}/sync`, { method: 'POST', body: req });
}

export function rollbackApplication(req: ApplicationRollbackRequest): Promise<Application> {
  return apiRequest<Application>(`${apps}/${enc(req.name)}/rollback`, { method: 'POST', body: req });
}

export function terminateOperation(name: string): Promise<unknown> {
  return apiRequest(`${apps}/${enc(name)}/operation`, { method: 'DELETE' });
}

export function listApplicationSets(): Promise<ApplicationSetList> { return apiRequest<ApplicationSetList>('/api/v1/applicationsets'); }
export function listProjects(): Promise<AppProjectList> { return apiRequest<AppProjectList>('/api/v1/projects'); }
export function listClusters(): Promise<ClusterList> { return apiRequest<ClusterList>('/api/v1/clusters'); }
