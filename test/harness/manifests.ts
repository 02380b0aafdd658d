// Small manifests for tests, as YAML text the way a repository holds them.

const annotationBlock = (annotations: Readonly<Record<string, string>>, indent: string): string =>
  (Object.keys(annotations).length
    ? `${indent}annotations:\n${Object.entries(annotations).map(([k, v]) => `${indent}  ${k}: "${v}"`).join('\n')}\n` : '');

export const cmYaml = (name: string, data: Record<string, string> = { k: 'v' }, annotations: Record<string, string> = {}): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${annotationBlock(annotations, '  ')}data:\n${Object.entries(data)
    .map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`;

export interface DeploymentYamlOptions {
  readonly replicas?: number;
  /** @default example/<name>:1 */
  readonly image?: string;
  /** @default c */
  readonly container?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** An init container with this image. */
  readonly initImage?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** A Deployment whose pods are labelled app: <name> (kwok runs them). */
export function deploymentYaml(name: string, options: DeploymentYamlOptions = {}): string {
  const image = options.image ?? `example/${name}:1`;
  const podSpec = [
    ...(options.nodeSelector ? [`      nodeSelector: ${JSON.stringify(options.nodeSelector)}`] : []),
    ...(options.initImage ? [`      initContainers: [{name: init, image: "${options.initImage}"}]`] : []),
    `      containers: [{name: ${options.container ?? 'c'}, image: "${image}"}]`,
  ];
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${annotationBlock(options.annotations ?? {}, '  ')}spec:\n`
    + `  replicas: ${options.replicas ?? 1}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n`
    + `    spec:\n${podSpec.join('\n')}\n`;
}
