// A small cdk8s program: one chart with a ConfigMap and a Deployment.
const { App, Chart, ApiObject } = require('cdk8s');

const app = new App();
const chart = new Chart(app, 'web');
new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { from: 'cdk8s' } });
new ApiObject(chart, 'web', {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'example/web:1' }] } } },
});
app.synth();
