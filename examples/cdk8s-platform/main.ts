// `npm run synth`: writes the platform's idpbuilder packages into dist/
// (dist/<app>.yaml and dist/<app>/manifests/), for `capstan up --package dist`
// or `idpbuilder create --package dist/`.
import { buildPlatform } from './lib/build-platform.ts';

buildPlatform().synth();
