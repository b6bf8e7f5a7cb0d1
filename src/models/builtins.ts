/** The built-in models, one line each: the registry enters them before any user model. Adding a model is one line here. */
import type { ModelDefinition } from './contract.js';
import { baselineModels } from './baselines/baselines.js';
import { varianceModels } from './baselines/variance-models.js';
import { harModels } from './econometric/har-models.js';
import { recurrentModels } from './recurrent/recurrent-models.js';

/** Name and definition of every built-in model, in the order `listModels` gives them. @internal */
// biome-ignore lint/suspicious/noExplicitAny: each built-in has its own options type; the registry checks them by schema.
export const BUILTIN_MODELS: ReadonlyArray<readonly [string, ModelDefinition<any>]> = [
  ['naive', baselineModels.naive],
  ['drift', baselineModels.drift],
  ['mean', baselineModels.mean],
  ['seasonal', baselineModels.seasonal],
  ['ma', baselineModels.ma],
  ['ewma', varianceModels.ewma],
  ['har', harModels.har],
  ['garch', varianceModels.garch],
  ['garch-t', varianceModels['garch-t']],
  ['rnn', recurrentModels.rnn],
  ['lstm', recurrentModels.lstm],
  ['gru', recurrentModels.gru],
  ['har-log', harModels['har-log']],
  ['har-j', harModels['har-j']],
  ['shar', harModels.shar],
  ['harq', harModels.harq],
];
