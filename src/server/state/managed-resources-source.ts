// What managed-resources reads: an app's resources compared as the
// controller compares them (controller/app-diff.ts compareApplication): the
// rendered target, the live object, and both normalized/predicted sides.
import type { Application } from '../../api/application.ts';
import type { ResourceComparison } from '../../controller/app-diff.ts';

export interface ManagedResourcesSource {
  compare(app: Application): Promise<readonly ResourceComparison[]>;
}
