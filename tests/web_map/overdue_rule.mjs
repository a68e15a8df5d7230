// Which features the map rings as late: the wall's own rule (enhance.js overdueRule) evaluated by
// MapLibre's own filter engine on features decoded from the platform's tiles.
// stdin: {"deadline": {...}, "now_ms": 0, "features": [{"id": 1, "properties": {...}}]}
// stdout: the ids of the late features, as a JSON array.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const frontend = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web_map/frontend');
const {featureFilter} = await import(path.join(frontend, 'node_modules/@maplibre/maplibre-gl-style-spec/dist/index.mjs'));
const {overdueRule} = await import(path.join(frontend, 'src/enhance.js'));
const {localIso} = await import(path.join(frontend, 'src/time.js'));

const input = JSON.parse(readFileSync(0, 'utf8'));
const late = featureFilter(overdueRule(input.deadline, localIso(input.now_ms)), 'layers[0].filter');
const ids = input.features
  .filter((feature) => late.filter({zoom: 12}, {type: 1, id: feature.id, properties: feature.properties}))
  .map((feature) => feature.id);
process.stdout.write(JSON.stringify(ids));
