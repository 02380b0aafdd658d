// The errors the authoring layer throws at synth time: each names the
// applications (packages) involved and the cause, so a wrong platform program
// fails before anything is written.
import { CapstanError } from '../errors.ts';

/** Declared dependencies between applications form a cycle; `cycle` lists it with its first app repeated last. */
export class DependencyCycleError extends CapstanError {
  override readonly name = 'DependencyCycleError';
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super('DependencyCycle', `dependency cycle between applications: ${cycle.join(' → ')}`);
    this.cycle = cycle;
  }
}

/** An application depends on a name that is no application of the platform. */
export class UnknownDependencyError extends CapstanError {
  override readonly name = 'UnknownDependencyError';

  constructor(app: string, dependency: string, known: readonly string[]) {
    super('UnknownDependency', `application "${app}" depends on "${dependency}", which is not an application of this platform`
      + ` (applications: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }
}

/** A package, environment or team definition that cannot be written as given. */
export class InvalidPackageError extends CapstanError {
  override readonly name = 'InvalidPackageError';

  constructor(pkg: string, message: string) {
    super('InvalidPackage', `package "${pkg}": ${message}`);
  }
}
